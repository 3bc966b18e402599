using AspireNotify.Bench.Cluster;
using Notifications.Processes;

namespace AspireNotify.Bench.Targets;

/// <summary>The servers <c>bench/run.sh compare</c> measures side by side, by the name <c>--targets</c> takes.</summary>
public static class Targets
{
    public static IReadOnlyDictionary<string, Func<int, Task<BenchTarget>>> All { get; } =
        new Dictionary<string, Func<int, Task<BenchTarget>>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aspirenotify"] = AspireNotifyAsync,
            ["seed"] = SeedNodeAsync,
            ["signalr"] = SignalRAsync,
        };

    private static string Peers => Path.Combine(Repository.Root, "bench", "peers");

    /// <summary>The Release build in Production, with tracing on and tokens checked, exactly as every other scenario runs it.</summary>
    private static async Task<BenchTarget> AspireNotifyAsync(int instances)
    {
        var cluster = await BenchCluster.StartAsync(instances);
        return new BenchTarget("AspireNotify", AspireNotifyProtocol.Instance, [.. cluster.Replicas.Select(replica => replica.BaseAddress)],
            [.. cluster.Replicas.Select(replica => replica.Process.Id)], cluster.Redis.ProcessId, cluster);
    }

    private static async Task<BenchTarget> SeedNodeAsync(int instances)
    {
        var directory = Path.Combine(Peers, "seed-node");
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
        {
            throw new InvalidOperationException($"The seed's packages are not installed: npm ci --prefix {directory} (bench/run.sh compare does this).");
        }

        var cluster = await PeerCluster.StartAsync(instances, (index, port, redis) => PeerProcess.Start($"seed-{index}", port, "node",
            [Path.Combine(directory, "server.js")], new Dictionary<string, string>
            {
                ["PORT"] = $"{port}",
                ["NODE_NAME"] = $"seed-{index}",
                ["NODE_ENV"] = "production",
                ["REDIS_URL"] = $"redis://:{redis.Password}@127.0.0.1:{redis.Port}",
            }));
        return Of("seed (Node ws)", SeedProtocol.Instance, cluster);
    }

    /// <summary>The hub's Release build in Production, on the GC AspireNotify gets (<c>BENCH_GC_SERVER</c>), so only the code differs.</summary>
    private static async Task<BenchTarget> SignalRAsync(int instances)
    {
        var assembly = Path.Combine(Peers, "signalr", "bin", "Release", "net10.0", "SignalRPeer.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException("The SignalR peer is not built: dotnet build bench/peers/signalr -c Release (bench/run.sh does this).");
        }

        var cluster = await PeerCluster.StartAsync(instances, (index, port, redis) =>
        {
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ConnectionStrings__redis"] = redis.ConnectionString,
                ["NODE_NAME"] = $"signalr-{index}",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            if (Environment.GetEnvironmentVariable("BENCH_GC_SERVER") is { Length: > 0 } gcServer)
            {
                environment["DOTNET_gcServer"] = gcServer;
            }

            return PeerProcess.Start($"signalr-{index}", port, "dotnet", [assembly], environment);
        });
        return Of("SignalR", SignalRProtocol.Instance, cluster);
    }

    private static BenchTarget Of(string name, WireProtocol protocol, PeerCluster cluster) =>
        new(name, protocol, [.. cluster.Instances.Select(instance => instance.BaseAddress)],
            [.. cluster.Instances.Select(instance => instance.Process.Id)], cluster.Redis.ProcessId, cluster);
}
