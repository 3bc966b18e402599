using AspireNotify.Bench.Cluster;
using Notifications.Processes;

namespace AspireNotify.Bench.Targets;

/// <summary>Debian's redis-server and N instances of a peer server, started and stopped together.</summary>
public sealed class PeerCluster : IAsyncDisposable
{
    private readonly List<PeerProcess> _instances = [];
    private readonly ExitCleanup _cleanup;

    private PeerCluster(RedisServerProcess redis)
    {
        Redis = redis;
        // A run stopped with Ctrl+C or SIGTERM must not leave peers and Redis behind it.
        _cleanup = new ExitCleanup(KillAll);
    }

    public RedisServerProcess Redis { get; }

    public IReadOnlyList<PeerProcess> Instances => _instances;

    /// <summary>Starts Redis, then <paramref name="count"/> instances through <paramref name="start"/>(index, port, redis).</summary>
    public static async Task<PeerCluster> StartAsync(int count, Func<int, int, RedisServerProcess, PeerProcess> start)
    {
        var redis = new RedisServerProcess(BenchCluster.RedisOptions);
        await redis.StartAsync();
        var cluster = new PeerCluster(redis);
        for (var index = 0; index < count; index++)
        {
            cluster._instances.Add(start(index, LoopbackPorts.Free(), redis));
        }

        await Task.WhenAll(cluster._instances.Select(instance => instance.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60))));
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            instance.Dispose();
        }

        _instances.Clear();
        await Redis.DisposeAsync();
        _cleanup.Dispose();
    }

    private void KillAll()
    {
        Redis.Kill();
        foreach (var instance in _instances.Where(instance => !instance.Process.HasExited))
        {
            instance.Process.Kill(entireProcessTree: true);
        }
    }
}
