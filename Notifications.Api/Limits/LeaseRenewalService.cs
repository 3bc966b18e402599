using System.Diagnostics;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Limits;

/// <summary>Renews this replica's leases every third of the lease, so live connections never lapse.</summary>
internal sealed class LeaseRenewalService(UserConnectionLeases leases, ConnectionRegistry registry, IOptions<LimitsOptions> options,
    TimeProvider time, NotificationsMetrics metrics, ILogger<LeaseRenewalService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ConnectionLease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RenewAsync()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await leases.RenewAsync(registry.All());
            metrics.Housekept(TelemetryNames.Housekeeping.LeaseRenewal, started, succeeded: true);
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            metrics.Housekept(TelemetryNames.Housekeeping.LeaseRenewal, started, succeeded: false);
            LimitsLog.RenewalFailed(logger, exception);
        }
    }
}
