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
        builder.Services.AddSingleton<UpgradeRateLimiter>();
        builder.Services.AddSingleton<UserConnectionLeases>();
        builder.Services.AddHostedService<LeaseRenewalService>();
        return builder;
    }

    private static void Configure(RateLimiterOptions rateLimiter, LimitsOptions limits)
    {
        rateLimiter.AddPolicy(PublishPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
            context.User.FindFirstValue(TokenClaims.Subject) ?? "anonymous",
            _ => Bucket(limits.PublishesPerCallerPerSecond, limits.PublishBurst)));
        rateLimiter.OnRejected = RejectAsync;
    }

    internal static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>Whole seconds until a refused lease's bucket has a token again (at least one).</summary>
    internal static int RetryAfterSeconds(RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
    }

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        await http.RequestServices.GetRequiredService<RefusalWriter>().WriteAsync(http, Refusal.RateLimited(RetryAfterSeconds(context.Lease),
            "Too many publishes from this caller; retry after the Retry-After delay."));
    }
}
