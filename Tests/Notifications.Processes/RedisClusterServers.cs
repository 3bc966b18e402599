using System.Globalization;

namespace Notifications.Processes;

/// <summary>
/// A Redis Cluster of Debian's redis-server on loopback: N primaries that share the 16,384 hash slots, each with
/// optional replicas, one password for all, created with <c>redis-cli --cluster create</c>.
/// </summary>
public sealed class RedisClusterServers : IRedisDeployment
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private readonly List<RedisServerProcess> _nodes;
    private readonly ExitCleanup _cleanup;
    private readonly int _replicasPerPrimary;

    /// <param name="primaries">At least 3: redis-cli refuses to create a cluster of fewer.</param>
    /// <param name="replicasPerPrimary">Replicas each primary gets, for <c>WAIT</c> and failover.</param>
    /// <param name="options">How every node runs; its password, if any, is shared by all.</param>
    public RedisClusterServers(int primaries = 3, int replicasPerPrimary = 0, RedisServerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(primaries, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(replicasPerPrimary);
        var shared = (options ?? new RedisServerOptions()) with { Password = options?.Password ?? Guid.NewGuid().ToString("N") };
        if (shared.Tls is not null)
        {
            throw new NotSupportedException("A TLS cluster is not set up here: the cluster bus would need its own certificates.");
        }

        var node = shared with
        {
            // nodes.conf lands in the node's own data directory (--dir); replicas of a primary must be able to log in to it,
            // and need not wait the default 5 s before their first sync.
            Arguments = [.. shared.Arguments, "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--cluster-node-timeout", "5000", "--masterauth", shared.Password!, "--repl-diskless-sync-delay", "0"],
        };
        _replicasPerPrimary = replicasPerPrimary;
        _nodes = [.. Enumerable.Range(0, primaries * (1 + replicasPerPrimary)).Select(_ => new RedisServerProcess(node))];
        _cleanup = new ExitCleanup(Kill);
    }

    /// <summary>Every node; which of them are primaries is the cluster's business once it is created.</summary>
    public IReadOnlyList<RedisServerProcess> Nodes => _nodes;

    public string Password => _nodes[0].Password;

    /// <summary>The nodes' addresses: the client asks any of them for the slot map and connects to every node.</summary>
    public string ConnectionString => $"{string.Join(',', _nodes.Select(node => node.Endpoint))},password={Password}";

    public IReadOnlyList<int> ProcessIds => [.. _nodes.SelectMany(node => node.ProcessIds)];

    public IReadOnlyList<RedisServerProcess> Servers => _nodes;

    public async Task StartAsync()
    {
        await Task.WhenAll(_nodes.Select(node => node.StartAsync()));
        await RedisCli.RunAsync(Password, ["--cluster", "create", .. _nodes.Select(node => node.Endpoint),
            "--cluster-replicas", _replicasPerPrimary.ToString(CultureInfo.InvariantCulture), "--cluster-yes"]);
        // create returns once the slots are assigned, before every node has heard about every other through the bus.
        await Task.WhenAll(_nodes.Select(node => RedisCli.WaitUntilAsync(node, "cluster_state:ok", ReadyTimeout, "CLUSTER", "INFO")));
        await Task.WhenAll(_nodes.Select(WaitUntilSyncedAsync));
    }

    public void Kill()
    {
        foreach (var node in _nodes)
        {
            node.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _cleanup.Dispose();
    }

    /// <summary>A replica counts for WAIT only once its first sync is done; a primary has nothing to wait for.</summary>
    private static async Task WaitUntilSyncedAsync(RedisServerProcess node)
    {
        if ((await RedisCli.AskAsync(node, "INFO", "replication")).Contains("role:slave", StringComparison.Ordinal))
        {
            await RedisCli.WaitUntilAsync(node, "master_link_status:up", ReadyTimeout, "INFO", "replication");
        }
    }
}
