using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notifications.Api.Backplane;

namespace Notifications.Api.Health;

/// <summary>Readiness: a replica that has not subscribed to broadcasts would silently miss them.</summary>
internal sealed class BackplaneHealthCheck(RedisBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane.IsBroadcastSubscribed
            ? HealthCheckResult.Healthy("Subscribed to the broadcast channel.")
            : HealthCheckResult.Unhealthy("Not yet subscribed to the broadcast channel."));
}
