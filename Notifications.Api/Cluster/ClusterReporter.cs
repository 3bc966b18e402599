using Microsoft.Extensions.Options;
using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Cluster;

/// <summary>
/// Writes this replica's connection and user counts into the cluster directory every <c>Cluster:ReportInterval</c>,
/// and takes its entry out on a graceful shutdown (a crashed replica's entry expires instead).
/// </summary>
internal sealed class ClusterReporter(ClusterDirectory directory, ConnectionRegistry registry, NodeIdentity node,
    IOptions<ClusterOptions> options, TimeProvider time, ILogger<ClusterReporter> logger) : BackgroundService
{
    private static readonly TimeSpan RemoveTimeout = TimeSpan.FromSeconds(2);
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
        try
        {
            await directory.RemoveAsync(node.Name).WaitAsync(RemoveTimeout, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException)
        {
            ClusterLog.RemoveFailed(logger, exception, node.Name);
        }
    }

    private async Task ReportAsync()
    {
        try
        {
            await directory.ReportAsync(new NodeReport(node.Name, registry.ConnectionCount, registry.UserCount, time.GetUtcNow()));
            if (_failing)
            {
                _failing = false;
                ClusterLog.ReportRestored(logger, node.Name);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
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
