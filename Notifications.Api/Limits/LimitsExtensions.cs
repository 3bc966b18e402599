using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Refusals;

namespace Notifications.Api.Limits;

public static class LimitsExtensions
{
    public const string UpgradePolicy = "websocket-upgrades";
    public const string PublishPolicy = "publishers";

    public static WebApplicationBuilder AddNotificationsLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitsOptions>()
            .BindConfiguration(LimitsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // A client that never finishes its handshake is dropped instead of holding a connection forever.
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
            kestrel.Limits.RequestHeadersTimeout = limits.Value.HandshakeTimeout);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<LimitsOptions>>((rateLimiter, limits) => Configure(rateLimiter, limits.Value));
        builder.Services.AddSingleton<UserConnectionLeases>();
        builder.Services.AddHostedService<LeaseRenewalService>();
        return builder;
    }

    private static void Configure(RateLimiterOptions rateLimiter, LimitsOptions limits)
    {
        rateLimiter.AddPolicy(UpgradePolicy, context => RateLimitPartition.GetTokenBucketLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => Bucket(limits.UpgradesPerAddressPerSecond, limits.UpgradeBurst)));
        rateLimiter.AddPolicy(PublishPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
            context.User.FindFirstValue(TokenClaims.Subject) ?? "anonymous",
            _ => Bucket(limits.PublishesPerCallerPerSecond, limits.PublishBurst)));
        rateLimiter.OnRejected = RejectAsync;
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var upgrade = http.GetEndpoint()?.Metadata.GetMetadata<RefusalArea>() == RefusalArea.Connections;
        await http.RequestServices.GetRequiredService<RefusalWriter>().WriteAsync(http, Refusal.RateLimited(seconds, upgrade
            ? "Too many connection attempts from this address; retry after the Retry-After delay."
            : "Too many publishes from this caller; retry after the Retry-After delay."));
    }
}
