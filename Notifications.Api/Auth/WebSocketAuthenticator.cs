using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Notifications.Api.Auth;

/// <summary>Who opens a socket, and until when: all a connection needs to remember of its token.</summary>
public readonly record struct SocketIdentity(string UserId, DateTimeOffset ExpiresAt);

/// <summary>
/// Validates the bearer token of a WebSocket upgrade — from the <c>Authorization</c> header or, for browsers (which
/// cannot set headers on a WebSocket upgrade), the <c>access_token</c> query parameter — with exactly the rules of the bearer handler, and keeps nothing of it but
/// the subject and the expiry.
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

        return new SocketIdentity(jwt.Subject, jwt.ValidTo == DateTime.MinValue ? DateTimeOffset.MaxValue : new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }
}
