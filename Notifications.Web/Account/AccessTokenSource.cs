using Microsoft.AspNetCore.Components.Authorization;

namespace Notifications.Web.Account;

/// <summary>
/// The signed-in user's API token, for the browser's WebSocket (asked before every connection attempt) and for
/// publishing. A token about to expire is replaced by a fresh one for the same user and roles, from the same
/// <see cref="TokenIssuer"/> that signed them in, so a connection closed with 4001 (token expired) comes back.
/// </summary>
public sealed class AccessTokenSource(AuthenticationStateProvider authentication, TokenIssuer issuer, TimeProvider time)
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(1);
    private AccessToken? _current;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        _current ??= WebUser.TokenOf(user) ?? throw new InvalidOperationException("No user is signed in.");
        if (_current.ExpiresAt - RefreshMargin > time.GetUtcNow())
        {
            return _current.Value;
        }

        var fresh = await issuer.IssueAsync(WebUser.UserId(user)!, WebUser.IsPublisher(user), cancellationToken);
        _current = fresh.Succeeded ? fresh.Value : throw new InvalidOperationException($"No fresh token: {fresh.Error}");
        return _current.Value;
    }
}
