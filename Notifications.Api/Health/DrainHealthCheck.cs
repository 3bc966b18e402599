using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notifications.Api.Connections;

namespace Notifications.Api.Health;

/// <summary>Readiness: a draining replica must get no new clients from the load balancer.</summary>
internal sealed class DrainHealthCheck(ConnectionDrainer drainer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drainer.IsDraining
            ? HealthCheckResult.Unhealthy("Draining: shutting down.")
            : HealthCheckResult.Healthy("Accepting connections."));
}
