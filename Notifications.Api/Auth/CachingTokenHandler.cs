using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Notifications.Api.Auth;

/// <summary>
/// The bearer handler's token handler for publish requests: a publisher sends the same token with every request, and
/// validating it (base64, JSON, HMAC, claims) was a large part of a publish's CPU. A token validated once is answered
/// from <see cref="ValidatedTokenCache"/> until it expires, but only under the parameters the cache was filled with
/// (the same keys, issuer and audience): anything else is validated in full, as is every token not in the cache.
/// </summary>
public sealed class CachingTokenHandler(TokenValidationParameters parameters, ValidatedTokenCache cache) : TokenHandler
{
    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (!SameRules(validationParameters))
        {
            return await _inner.ValidateTokenAsync(token, validationParameters);
        }

        if (cache.TryGet(token, out var identity, out var securityToken))
        {
            return new TokenValidationResult { IsValid = true, ClaimsIdentity = identity, SecurityToken = securityToken };
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid)
        {
            cache.Add(token, result.ClaimsIdentity, result.SecurityToken);
        }

        return result;
    }

    /// <summary>
    /// The bearer handler passes a copy of its parameters per request; the cache answers only when that copy still has
    /// the rules its entries were validated under.
    /// </summary>
    private bool SameRules(TokenValidationParameters other) =>
        other.ValidIssuer == parameters.ValidIssuer
        && other.ValidAudience == parameters.ValidAudience
        && other.ValidIssuers is null && other.ValidAudiences is null
        && other.ValidateLifetime && other.ValidateIssuer && other.ValidateAudience && other.RequireSignedTokens
        && other.ClockSkew <= parameters.ClockSkew
        && other.IssuerSigningKeys is { } keys && keys.SequenceEqual(parameters.IssuerSigningKeys);
}
