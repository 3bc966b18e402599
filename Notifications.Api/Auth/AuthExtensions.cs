using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Notifications.Api.Auth;

public static class AuthExtensions
{
    /// <summary>Browsers cannot set headers on a WebSocket upgrade, so only this path reads the token from the query.</summary>
    public const string WebSocketPath = "/ws";
    public const string AccessTokenQueryParameter = "access_token";

    public static IHostApplicationBuilder AddNotificationsAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<WebSocketAuthenticator>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = TokenIssuer.CreateValidationParameters(auth.Value);
                jwt.Events = new JwtBearerEvents { OnMessageReceived = LeaveWebSocketPathToItsEndpoint };
            });

        // ASP.NET Core logs every request line, query string included, at Information: that would log access tokens.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Publisher, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Publisher));
        return builder;
    }

    /// <summary>
    /// The WebSocket endpoint validates its token itself (<see cref="WebSocketAuthenticator"/>): a request authenticated
    /// by the middleware keeps its parsed token and claims alive for as long as the request runs, which for a socket
    /// is hours.
    /// </summary>
    private static Task LeaveWebSocketPathToItsEndpoint(MessageReceivedContext context)
    {
        if (context.Request.Path.Equals(WebSocketPath, StringComparison.Ordinal))
        {
            context.NoResult();
        }

        return Task.CompletedTask;
    }
}
