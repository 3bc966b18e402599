using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Notifications.Api.Auth;

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddNotificationsAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(auth => auth.PreviousKeysAreLongEnough, $"Every Auth:PreviousSigningKeys entry needs at least {AuthOptions.MinKeyLength} characters.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<WebSocketAuthenticator>();
        builder.Services.AddSingleton(services => new ValidatedTokenCache(services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<IOptions<AuthOptions>>().Value.ValidatedTokenCacheSize));

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, ValidatedTokenCache>((jwt, auth, cache) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = TokenIssuer.CreateValidationParameters(auth.Value);
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new CachingTokenHandler(jwt.TokenValidationParameters, cache));
                jwt.Events = new JwtBearerEvents { OnMessageReceived = LeaveWebSocketsToTheirEndpoint };
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
    private static Task LeaveWebSocketsToTheirEndpoint(MessageReceivedContext context)
    {
        if (context.HttpContext.WebSockets.IsWebSocketRequest)
        {
            context.NoResult();
        }

        return Task.CompletedTask;
    }
}
