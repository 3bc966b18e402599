using System.Diagnostics;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Cluster;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Topics;

/// <summary>
/// Every <c>Cluster:ReportInterval</c>, writes who on this replica reads each topic into the topic presence directory,
/// and takes this replica out of the topics it no longer has subscribers of; on a graceful shutdown it takes itself out
/// of all of them (a crashed replica's reports expire instead).
/// </summary>
internal sealed class TopicPresenceReporter(TopicPresenceDirectory directory, ConnectionRegistry registry, NodeIdentity node,
    IOptions<ClusterOptions> options, TimeProvider time, NotificationsMetrics metrics, ILogger<TopicPresenceReporter> logger) : BackgroundService
{
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(2);
    private HashSet<string> _reported = new(StringComparer.Ordinal);
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReportInterval, time);
        try
        {
            do
            {
                await ReportAsync(Snapshot(time.GetUtcNow()));
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await directory.ReportAsync(node.Name, new Dictionary<string, TopicPresenceReport>(), _reported).WaitAsync(RemoveTimeout, cancellationToken);
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception) || exception is OperationCanceledException)
        {
            TopicsLog.PresenceReportFailed(logger, exception);
        }
    }

    /// <summary>Each topic with subscribers here, by topic name, with its connections and distinct users.</summary>
    internal static Dictionary<string, TopicPresenceReport> Snapshot(ConnectionRegistry registry, string node, DateTimeOffset now)
    {
        var reports = new Dictionary<string, TopicPresenceReport>(StringComparer.Ordinal);
        foreach (var (stream, connections) in registry.Topics())
        {
            if (connections.Length > 0 && Streams.TryGetTopic(stream, out var topic))
            {
                reports[topic] = new TopicPresenceReport(node, connections.Length,
                    [.. connections.Select(connection => connection.UserId).Distinct(StringComparer.Ordinal)], now);
            }
        }

        return reports;
    }

    private Dictionary<string, TopicPresenceReport> Snapshot(DateTimeOffset now) => Snapshot(registry, node.Name, now);

    private async Task ReportAsync(Dictionary<string, TopicPresenceReport> reports)
    {
        var started = Stopwatch.GetTimestamp();
        var gone = _reported.Where(topic => !reports.ContainsKey(topic)).ToList();
        try
        {
            await directory.ReportAsync(node.Name, reports, gone);
            _reported = [.. reports.Keys];
            metrics.Housekept(TelemetryNames.Housekeeping.PresenceReport, started, succeeded: true);
            _failing = false;
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            // The topics still count as reported, so their entries are taken out once Redis answers again.
            _reported.UnionWith(reports.Keys);
            metrics.Housekept(TelemetryNames.Housekeeping.PresenceReport, started, succeeded: false);
            if (!_failing)
            {
                _failing = true;
                TopicsLog.PresenceReportFailed(logger, exception);
            }
        }
    }
}
