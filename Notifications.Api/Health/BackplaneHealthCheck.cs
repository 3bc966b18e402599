using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;

namespace Notifications.Api.Health;

/// <summary>Readiness: a replica that has not subscribed to broadcasts would silently miss them.</summary>
internal sealed class BackplaneHealthCheck(RedisBackplane backplane) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(backplane.IsBroadcastSubscribed
            ? HealthCheckResult.Healthy("Subscribed to the broadcast channel.")
            : HealthCheckResult.Unhealthy("Not yet subscribed to the broadcast channel."));
}

/// <summary>Readiness: a draining replica must get no new clients from the load balancer.</summary>
internal sealed class DrainHealthCheck(ConnectionDrainer drainer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drainer.IsDraining
            ? HealthCheckResult.Unhealthy("Draining: shutting down.")
            : HealthCheckResult.Healthy("Accepting connections."));
}

public static class HealthExtensions
{
    public static IHostApplicationBuilder AddNotificationsHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<BackplaneHealthCheck>("backplane")
            .AddCheck<DrainHealthCheck>("drain");
        return builder;
    }
}
