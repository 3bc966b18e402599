namespace Notifications.Processes;

/// <summary>Debian's redis-server and N API replicas started directly, each on its own port.</summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<ApiProcess> _replicas = [];
    private readonly RedisServerProcess _redis;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _configuration;
    private readonly Action<string>? _onOutput;

    private LocalCluster(RedisServerProcess redis, IReadOnlyDictionary<string, string> settings, string configuration, Action<string>? onOutput)
    {
        (_redis, _settings, _configuration, _onOutput) = (redis, settings, configuration, onOutput);
        // A run stopped with Ctrl+C or SIGTERM must not leave replicas and Redis behind it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public IReadOnlyList<ApiProcess> Replicas => _replicas;

    public RedisServerProcess Redis => _redis;

    public static async Task<LocalCluster> StartAsync(int replicas, IReadOnlyDictionary<string, string> settings, string configuration,
        RedisServerOptions? redisOptions = null, Action<string>? onOutput = null)
    {
        var redis = new RedisServerProcess(redisOptions);
        await redis.StartAsync();
        var cluster = new LocalCluster(redis, settings, configuration, onOutput);
        for (var index = 0; index < replicas; index++)
        {
            cluster._replicas.Add(cluster.StartReplica(index, LoopbackPorts.Free()));
        }

        await Task.WhenAll(cluster._replicas.Select(replica => replica.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60))));
        return cluster;
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

        await _redis.DisposeAsync();
    }

    private ApiProcess StartReplica(int index, int port) =>
        ApiProcess.Start(index, port, _redis.ConnectionString, _settings, _configuration, _onOutput);

    private void KillAll()
    {
        _redis.Kill();
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
