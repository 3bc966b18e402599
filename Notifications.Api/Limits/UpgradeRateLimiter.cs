using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Notifications.Api.Limits;

/// <summary>
/// Upgrade attempts per client address (a token bucket each). Part of the admission of <c>GET /ws</c> rather than a
/// rate-limiter policy on the route, so that an upgrade taken over below the HTTP layer is counted by the same buckets.
/// </summary>
public sealed class UpgradeRateLimiter(IOptions<LimitsOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => LimitsExtensions.Bucket(options.Value.UpgradesPerAddressPerSecond,
            options.Value.UpgradeBurst)));

    /// <summary>Takes a token for <paramref name="client"/>; when there is none, the seconds until the next one.</summary>
    public bool TryAcquire(IPAddress? client, out int retryAfterSeconds)
    {
        using var lease = _buckets.AttemptAcquire(client?.ToString() ?? "unknown");
        retryAfterSeconds = lease.IsAcquired ? 0 : LimitsExtensions.RetryAfterSeconds(lease);
        return lease.IsAcquired;
    }

    public void Dispose() => _buckets.Dispose();
}
