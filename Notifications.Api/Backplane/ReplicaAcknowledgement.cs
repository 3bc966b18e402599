using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// Redis replicates asynchronously, so a failover can lose writes its primary already answered. With
/// <c>Backplane:MinReplicasToAcknowledge</c> above 0, what the API hands out (a 202, a position, a live message) is first
/// confirmed with <c>WAIT</c> on the primary that took it: WAIT covers every earlier write of the same connection, and
/// the client library keeps one connection per server. Concurrent confirmations of one primary share a <c>WAIT</c>
/// (<see cref="ReplicaWaitBatch"/>).
/// </summary>
public sealed class ReplicaAcknowledgement(IConnectionMultiplexer redis, IOptions<BackplaneOptions> options, NotificationsMetrics metrics)
{
    private readonly int _replicas = options.Value.ReplicasToAcknowledge;
    private readonly long _timeoutMilliseconds = (long)options.Value.ReplicaAcknowledgeTimeout.TotalMilliseconds;
    private readonly ConcurrentDictionary<EndPoint, ReplicaWaitBatch> _batches = new();

    public bool Required => _replicas > 0;

    /// <summary>Waits until enough replicas hold this replica's writes to the server that owns <paramref name="key"/>.</summary>
    public async Task ConfirmAsync(RedisKey key)
    {
        var started = Stopwatch.GetTimestamp();
        long acknowledged;
        try
        {
            var server = redis.GetServer(key);
            acknowledged = await _batches.GetOrAdd(server.EndPoint, _ => new ReplicaWaitBatch(() => WaitAsync(server))).WaitAsync();
        }
        catch (RedisException exception)
        {
            metrics.ReplicationWaited(started, confirmed: false);
            throw new ReplicationUnconfirmedException("The replicas' acknowledgement could not be asked for.", exception);
        }

        metrics.ReplicationWaited(started, confirmed: acknowledged >= _replicas);
        if (acknowledged < _replicas)
        {
            throw new ReplicationUnconfirmedException(
                $"{acknowledged} of the {_replicas} replicas required acknowledged within {_timeoutMilliseconds} ms.");
        }
    }

    private async Task<long> WaitAsync(IServer server) => (long)await server.ExecuteAsync("WAIT", _replicas, _timeoutMilliseconds);
}
