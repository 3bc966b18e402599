using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Notifications.Api.Topics;

namespace Notifications.Api.Auth;

/// <summary>
/// Who opens a socket, until when, and the topic patterns it may subscribe to (<see cref="TokenClaims.Topics"/>; empty
/// without the claim): all a connection needs to remember of its token.
/// </summary>
public readonly record struct SocketIdentity(string UserId, DateTimeOffset ExpiresAt, IReadOnlyList<string> TopicPatterns);

/// <summary>
/// Validates the bearer token of a WebSocket upgrade — from the <c>Authorization</c> header or, for browsers (which
/// cannot set headers on a WebSocket upgrade), the <c>access_token</c> query parameter — with exactly the rules of the bearer handler, and keeps nothing of it but
/// the subject, the expiry and the topic patterns.
/// </summary>
public sealed class WebSocketAuthenticator(IOptions<AuthOptions> options)
{
    private const string BearerPrefix = "Bearer ";
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters = TokenIssuer.CreateValidationParameters(options.Value);

    public async Task<SocketIdentity?> AuthenticateAsync(HttpRequest request)
    {
        var token = request.Headers.Authorization.ToString() is { } header && header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? header[BearerPrefix.Length..].Trim()
            : request.Query[QueryParameters.AccessToken].ToString();
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || !UserIds.IsValid(jwt.Subject))
        {
            return null;
        }

        return new SocketIdentity(jwt.Subject, jwt.ValidTo == DateTime.MinValue ? DateTimeOffset.MaxValue : new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero),
            TopicClaims.Read(jwt.Claims, TokenClaims.Topics));
    }
}
