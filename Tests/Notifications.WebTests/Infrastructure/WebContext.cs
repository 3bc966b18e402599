using System.Globalization;
using System.Security.Claims;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Notifications.Web;
using Notifications.Web.Account;
using Notifications.Web.Api;
using Notifications.Web.Feed;

namespace Notifications.WebTests.Infrastructure;

/// <summary>A bUnit context with the web app's services: the API behind a stub, a fake clock, a signed-in user.</summary>
public abstract class WebContext : BunitContext
{
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    public static readonly Uri ApiUrl = new("http://localhost:5080");

    protected WebContext()
    {
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(new NotificationsApiClient(new HttpClient(Api) { BaseAddress = new Uri("http://notifications-api") }));
        Services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        Services.AddSingleton(Options.Create(SignInOptions));
        Services.AddSingleton<TokenIssuer>();
        Services.AddScoped<AccessTokenSource>();
        Services.AddSingleton(Options.Create(new LiveFeedOptions { ApiUrl = ApiUrl, PingInterval = TimeSpan.FromSeconds(5) }));
        Authorization = AddAuthorization();
    }

    public StubApi Api { get; } = new();

    /// <summary>Development tokens unless a test sets an access code before it resolves a service.</summary>
    public SignInOptions SignInOptions { get; } = new();

    public FakeTimeProvider Time { get; } = new(Now);

    public BunitAuthorizationContext Authorization { get; }

    /// <summary>Signs a user in the way the sign-in page does: id, token and, if asked, the publisher role.</summary>
    public void SignIn(string userId, bool publisher, string token = "token-of-the-cookie", DateTimeOffset? expiresAt = null)
    {
        Authorization.SetAuthorized(userId);
        // One call: bUnit keeps the claims of the last SetClaims or SetRoles only.
        Authorization.SetClaims([
            new Claim(ClaimTypes.NameIdentifier, userId),
            new Claim(WebUser.AccessTokenClaim, token),
            new Claim(WebUser.AccessTokenExpiresClaim, (expiresAt ?? Now.AddHours(8)).ToString("O", CultureInfo.InvariantCulture)),
            .. publisher ? [new Claim(ClaimTypes.Role, WebUser.PublisherRole)] : Array.Empty<Claim>(),
        ]);
    }
}
