using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AspireNotify.Bench.Cluster;

/// <summary>
/// What a scenario runs against, started directly (no orchestrator in the measurements): Debian's redis-server and
/// N API replicas from the Release build, each on its own port.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly List<Replica> _replicas = [];
    private readonly string _apiAssembly;
    private readonly string _redisPassword = Guid.NewGuid().ToString("N");
    private readonly IReadOnlyDictionary<string, string> _settings;
    private Process? _redis;
    private int _redisPort;

    private LocalCluster(string apiAssembly, IReadOnlyDictionary<string, string> settings)
    {
        (_apiAssembly, _settings) = (apiAssembly, settings);
        // A bench stopped with Ctrl+C or SIGTERM must not leave replicas and Redis running behind it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    public IReadOnlyList<Replica> Replicas => _replicas;

    public string RedisConnectionString => $"127.0.0.1:{_redisPort},password={_redisPassword}";

    public static async Task<LocalCluster> StartAsync(int replicas, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new LocalCluster(ApiAssembly(), settings ?? new Dictionary<string, string>());
        cluster.StartRedis();
        for (var index = 0; index < replicas; index++)
        {
            cluster._replicas.Add(cluster.StartReplicaProcess(index, FreePort()));
        }

        await Task.WhenAll(cluster._replicas.Select(replica => replica.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60))));
        return cluster;
    }

    /// <summary>Starts a replica that was killed again, on the same port.</summary>
    public async Task<Replica> RestartAsync(Replica replica)
    {
        var restarted = StartReplicaProcess(replica.Index, replica.BaseAddress.Port);
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

        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
        }

        _redis?.Dispose();
    }

    private void KillAll()
    {
        foreach (var process in _replicas.Select(replica => replica.Process).Append(_redis))
        {
            try
            {
                if (process is { HasExited: false })
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }

    private void StartRedis()
    {
        _redisPort = FreePort();
        _redis = Start("redis-server", ["--port", _redisPort.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--requirepass", _redisPassword, "--save", "", "--appendonly", "no", "--maxclients", "10000"], new Dictionary<string, string>());
    }

    private Replica StartReplicaProcess(int index, int port)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__redis"] = RedisConnectionString,
            ["Auth__SigningKey"] = Tokens.SigningKey,
            ["Notifications__NodeName"] = $"replica-{index}",
            ["Logging__LogLevel__Default"] = "Warning",
            // Every bench client comes from loopback addresses: the per-address and per-user limits would only measure themselves.
            ["Limits__UpgradesPerAddressPerSecond"] = "100000",
            ["Limits__UpgradeBurst"] = "100000",
            ["Limits__PublishesPerCallerPerSecond"] = "1000000",
            ["Limits__PublishBurst"] = "1000000",
            ["Limits__MaxConnectionsPerReplica"] = "1000000",
        };
        if (Environment.GetEnvironmentVariable("BENCH_GC_SERVER") is { Length: > 0 } gcServer)
        {
            environment["DOTNET_gcServer"] = gcServer;
        }

        if (Environment.GetEnvironmentVariable("BENCH_TRACES_SAMPLER") is { Length: > 0 } sampler)
        {
            environment["OTEL_TRACES_SAMPLER"] = sampler;
            environment["OTEL_TRACES_SAMPLER_ARG"] = Environment.GetEnvironmentVariable("BENCH_TRACES_SAMPLER_ARG") ?? "";
        }

        foreach (var (key, value) in _settings)
        {
            environment[key] = value;
        }

        return new Replica(index, port, Start("dotnet", [_apiAssembly], environment));
    }

    private static Process Start(string fileName, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (!string.IsNullOrEmpty(line.Data))
            {
                Console.Error.WriteLine($"[{fileName}] {line.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string ApiAssembly()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Notifications.Api", "bin", "Release", "net10.0", "Notifications.Api.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Notifications.Api is not built in Release: run bench/run.sh, which builds it.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
