using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace Notifications.Web.Account;

public static class AccountExtensions
{
    public const string SignInPath = "/signin";

    /// <summary>
    /// Cookie sign-in for the web app (the cookie lives no longer than the API token inside it), with tokens from
    /// <see cref="TokenIssuer"/> and a rate-limited sign-in form.
    /// </summary>
    public static IHostApplicationBuilder AddAccount(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>()
            .BindConfiguration(SignInOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<SignInTelemetry>();
        builder.Services.AddSignInRateLimit();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(SignInTelemetry.MeterName));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.LoginPath = SignInPath;
                cookie.Cookie.Name = "aspirenotify.web";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.SlidingExpiration = false;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<AccessTokenSource>();
        return builder;
    }

    /// <summary>
    /// Maps <c>POST /account/signout</c>. A form post with an antiforgery token, so another site cannot sign the user
    /// out; signing in is the sign-in page's own form.
    /// </summary>
    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/signout", async (HttpContext context) =>
            {
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.LocalRedirect(SignInPath);
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .WithName("SignOut")
            .WithSummary("Signs the user out of the web app.");
        return endpoints;
    }
}
