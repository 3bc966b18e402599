using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Notifications.Web.Api;

namespace Notifications.Web;

/// <summary>
/// The signed-in user as the auth cookie carries it: the user id, the publisher role, and the API token the web
/// server issued for them (the browser needs it for its WebSocket, the server for publishing).
/// </summary>
public static class WebUser
{
    public const string PublisherRole = TokenClaims.PublisherRole;
    public const string AccessTokenClaim = "aspirenotify:access_token";
    public const string AccessTokenExpiresClaim = "aspirenotify:access_token_expires";

    public static ClaimsPrincipal Create(string userId, bool publisher, AccessToken token)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, userId),
            new(ClaimTypes.Name, userId),
            new(AccessTokenClaim, token.Value),
            new(AccessTokenExpiresClaim, token.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
        ];
        if (publisher)
        {
            claims.Add(new Claim(ClaimTypes.Role, PublisherRole));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    public static string? UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    public static bool IsPublisher(ClaimsPrincipal user) => user.IsInRole(PublisherRole);

    public static AccessToken? TokenOf(ClaimsPrincipal user) =>
        user.FindFirstValue(AccessTokenClaim) is { } token
        && DateTimeOffset.TryParse(user.FindFirstValue(AccessTokenExpiresClaim), CultureInfo.InvariantCulture, DateTimeStyles.None, out var expiresAt)
            ? new AccessToken(token, expiresAt)
            : null;
}
