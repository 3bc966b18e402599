using System.Globalization;

namespace Notifications.Processes;

/// <summary>
/// A primary and its replicas (<c>--replicaof</c>), all Debian's redis-server on loopback with one password, as Sentinel
/// would watch them but without the sentinels: what <c>WAIT</c> needs to have something to wait for.
/// </summary>
public sealed class RedisReplicatedServers : IRedisDeployment
{
    private static readonly TimeSpan SyncTimeout = TimeSpan.FromSeconds(60);
    private readonly List<RedisServerProcess> _replicas;
    private readonly ExitCleanup _cleanup;

    /// <param name="replicas">How many replicas follow the primary.</param>
    /// <param name="options">How every server runs; its password, if any, is shared by all.</param>
    public RedisReplicatedServers(int replicas = 1, RedisServerOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var shared = (options ?? new RedisServerOptions()) with { Password = options?.Password ?? Guid.NewGuid().ToString("N") };
        if (shared.Tls is not null)
        {
            throw new NotSupportedException("Replication over TLS is not set up here: replicas would need the client certificate settings too.");
        }

        // Without this the primary waits 5 s for more replicas before it starts the first full sync.
        Primary = new RedisServerProcess(shared with { Arguments = [.. shared.Arguments, "--repl-diskless-sync-delay", "0"] });
        _replicas = [.. Enumerable.Range(0, replicas).Select(_ => new RedisServerProcess(shared with
        {
            Arguments = [.. shared.Arguments, "--replicaof", "127.0.0.1", Primary.Port.ToString(CultureInfo.InvariantCulture), "--masterauth", shared.Password!],
        }))];
        _cleanup = new ExitCleanup(Kill);
    }

    public RedisServerProcess Primary { get; }

    public IReadOnlyList<RedisServerProcess> Replicas => _replicas;

    public string Password => Primary.Password;

    /// <summary>
    /// Every server, as a client of a Sentinel-managed set would know them; the client tells the primary from its replicas
    /// by itself (a replica says so and refuses writes).
    /// </summary>
    public string ConnectionString => $"{string.Join(',', Servers.Select(server => server.Endpoint))},password={Password}";

    public IReadOnlyList<int> ProcessIds => [.. Servers.SelectMany(server => server.ProcessIds)];

    public IReadOnlyList<RedisServerProcess> Servers => [Primary, .. _replicas];

    public async Task StartAsync()
    {
        await Primary.StartAsync();
        await Task.WhenAll(_replicas.Select(replica => replica.StartAsync()));
        // A replica answers before its first sync completes; until then WAIT counts it out.
        await Task.WhenAll(_replicas.Select(replica =>
            RedisCli.WaitUntilAsync(replica, "master_link_status:up", SyncTimeout, "INFO", "replication")));
        await RedisCli.WaitUntilAsync(Primary, $"connected_slaves:{_replicas.Count}", SyncTimeout, "INFO", "replication");
    }

    public void Kill()
    {
        foreach (var server in Servers)
        {
            server.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync();
        }

        _cleanup.Dispose();
    }
}
