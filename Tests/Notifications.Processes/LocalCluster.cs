namespace Notifications.Processes;

/// <summary>
/// N API replicas started directly, each on its own port, against Redis started from Debian's redis-server: one server
/// unless the caller brings another <see cref="IRedisDeployment"/> (a primary with replicas, a Redis Cluster).
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ApiProcess> _replicas = [];
    private readonly IRedisDeployment _backplane;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _configuration;
    private readonly Action<string>? _onOutput;
    private readonly ExitCleanup _cleanup;

    private LocalCluster(IRedisDeployment backplane, IReadOnlyDictionary<string, string> settings, string configuration, Action<string>? onOutput)
    {
        (_backplane, _settings, _configuration, _onOutput) = (backplane, settings, configuration, onOutput);
        // A run stopped with Ctrl+C or SIGTERM must not leave replicas and Redis behind it.
        _cleanup = new ExitCleanup(KillAll);
    }

    public IReadOnlyList<ApiProcess> Replicas => _replicas;

    /// <summary>The one redis-server, for callers that started the cluster with <see cref="RedisServerOptions"/>.</summary>
    public RedisServerProcess Redis => _backplane as RedisServerProcess
        ?? throw new InvalidOperationException($"This cluster's backplane is a {_backplane.GetType().Name}, not one server: use {nameof(Backplane)}.");

    public IRedisDeployment Backplane => _backplane;

    public static Task<LocalCluster> StartAsync(int replicas, IReadOnlyDictionary<string, string> settings, string configuration,
        RedisServerOptions? redisOptions = null, Action<string>? onOutput = null) =>
        StartAsync(replicas, new RedisServerProcess(redisOptions), settings, configuration, onOutput);

    /// <summary>
    /// Starts <paramref name="backplane"/>, which the cluster then owns, and <paramref name="replicas"/> API replicas
    /// connected to it; <paramref name="settings"/> (environment variables, such as <c>Backplane__Topology</c>) go to
    /// every replica.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(int replicas, IRedisDeployment backplane, IReadOnlyDictionary<string, string> settings,
        string configuration, Action<string>? onOutput = null)
    {
        var cluster = new LocalCluster(backplane, settings, configuration, onOutput);
        try
        {
            await backplane.StartAsync();
            for (var index = 0; index < replicas; index++)
            {
                cluster._replicas.Add(cluster.StartReplica(index, LoopbackPorts.Free()));
            }

            await Task.WhenAll(cluster._replicas.Select(replica => replica.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60))));
            return cluster;
        }
        catch
        {
            // A caller that gets no cluster cannot stop what was started of it.
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a replica that was killed again, on the same port.</summary>
    public async Task<ApiProcess> RestartAsync(ApiProcess replica)
    {
        var restarted = StartReplica(replica.Index, replica.BaseAddress.Port);
        _replicas[_replicas.IndexOf(replica)] = restarted;
        replica.Dispose();
        await restarted.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        return restarted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        await _backplane.DisposeAsync();
        _cleanup.Dispose();
    }

    private ApiProcess StartReplica(int index, int port) =>
        ApiProcess.Start(index, port, _backplane.ConnectionString, _settings, _configuration, _onOutput);

    private void KillAll()
    {
        _backplane.Kill();
        foreach (var replica in _replicas)
        {
            try
            {
                if (replica.IsRunning)
                {
                    replica.Kill();
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
