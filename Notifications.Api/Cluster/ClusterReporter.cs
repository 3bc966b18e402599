using System.Diagnostics;
using Microsoft.Extensions.Options;
using Notifications.Api.Connections;
using Notifications.Api.Backplane;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Cluster;

/// <summary>
/// Writes this replica's connection and user counts, deliveries and delivery latency into the cluster directory every
/// <c>Cluster:ReportInterval</c>, and takes its entry out on a graceful shutdown (a crashed replica's entry expires
/// instead).
/// </summary>
internal sealed class ClusterReporter(ClusterDirectory directory, ConnectionRegistry registry, NodeIdentity node, DeliveryTally deliveries,
    IOptions<ClusterOptions> options, TimeProvider time, NotificationsMetrics metrics, ILogger<ClusterReporter> logger) : BackgroundService
{
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(2);
    private readonly LatencyWindow _latency = new(deliveries.Latency, LatencyWindow.IntervalsFor(options.Value.ReportInterval));
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        do
        {
            await ReportAsync();
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await directory.RemoveAsync(node.Name).WaitAsync(RemoveTimeout, cancellationToken);
            metrics.Housekept(TelemetryNames.Housekeeping.ClusterRemove, started, succeeded: true);
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception) || exception is OperationCanceledException)
        {
            metrics.Housekept(TelemetryNames.Housekeeping.ClusterRemove, started, succeeded: false);
            ClusterLog.RemoveFailed(logger, exception, node.Name);
        }
    }

    private async Task ReportAsync()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            // The window moves on even when the write fails: a report covers the interval before it, not the outage.
            await directory.ReportAsync(new NodeReport(node.Name, registry.ConnectionCount, registry.UserCount, time.GetUtcNow(),
                deliveries.Delivered, _latency.Next()));
            metrics.Housekept(TelemetryNames.Housekeeping.ClusterReport, started, succeeded: true);
            if (_failing)
            {
                _failing = false;
                ClusterLog.ReportRestored(logger, node.Name);
            }
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            metrics.Housekept(TelemetryNames.Housekeeping.ClusterReport, started, succeeded: false);
            // Once per outage: the health endpoints already say Redis is down, every interval.
            if (!_failing)
            {
                _failing = true;
                ClusterLog.ReportFailed(logger, exception, node.Name);
            }
        }
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
