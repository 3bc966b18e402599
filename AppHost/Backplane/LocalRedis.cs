using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AppHost.Backplane;

/// <summary>A redis-server or redis-sentinel of a local topology, and the loopback port it listens on.</summary>
internal sealed record LocalRedisNode(IResourceBuilder<ExecutableResource> Resource, int Port)
{
    public string Name => Resource.Resource.Name;

    public string Address => $"{LocalRedis.Address}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// Debian's redis-server and redis-sentinel run as executables, all with the backplane's password. Each node gets a port
/// taken now and a directory of its own under the run's directory, holding its configuration file, its append-only
/// file and, in a cluster, its nodes.conf: a node killed and started again comes back with its data and with what
/// Sentinel or the cluster rewrote into its configuration (whose replica it is).
/// </summary>
internal sealed class LocalRedis
{
    public const string Address = "127.0.0.1";

    private readonly IDistributedApplicationBuilder _builder;

    public LocalRedis(IDistributedApplicationBuilder builder, BackplaneHost host)
    {
        RequireInstalled("redis-server", "redis-server", host);
        _builder = builder;
        RunDirectory = RunDirectories.Create(builder, $"aspirenotify-{host.ToString().ToLowerInvariant()}-");
        Password = builder.AddBackplanePassword();
    }

    public string RunDirectory { get; }

    public IResourceBuilder<ParameterResource> Password { get; }

    public static void RequireInstalled(string program, string package, BackplaneHost host) =>
        LocalExecutables.RequireInstalled(program, package, $"Backplane:Host={host}", $"Backplane:Host={BackplaneHost.Garnet}");

    /// <summary>
    /// A redis-server that answers a write only once it is in its append-only file, and keeps no snapshots: a crash
    /// loses nothing it acknowledged. As a primary it refuses writes while no replica follows it (a promoted replica
    /// whose old primary is not back yet, or an old primary back before it learnt it was replaced): the API would
    /// otherwise store a publish that no replica acknowledges, answer 503 after its timeout, and deliver it later.
    /// </summary>
    public LocalRedisNode AddServer(string name, IEnumerable<string> settings) =>
        Add(name, "redis-server", "redis.conf",
            ["appendonly yes", "appendfsync always", "save \"\"", "min-replicas-to-write 1", "min-replicas-max-lag 10", .. settings],
            password => [$"requirepass {password}", $"masterauth {password}"], RedisProbe.ConnectAsync);

    /// <summary>
    /// A redis-sentinel. Its password is the servers' too, since clients use one password for both; the monitor line
    /// must come from <paramref name="settings"/> (the file), because Sentinel rewrites the file as the master moves.
    /// </summary>
    public LocalRedisNode AddSentinel(string name, string masterName, IEnumerable<string> settings) =>
        Add(name, "redis-sentinel", "sentinel.conf", settings,
            password => [$"requirepass {password}", $"sentinel auth-pass {masterName} {password}"], RedisProbe.ConnectToSentinelsAsync);

    /// <summary>
    /// The password goes into the node's configuration file (in the run's private directory), not onto its command line
    /// where <c>ps</c> shows it. It is known only once the AppHost runs, so it is appended before the node first starts;
    /// a restarted node finds it there, in the file as Redis or Sentinel rewrote it.
    /// </summary>
    private void AddPasswordBeforeFirstStart(IResourceBuilder<ExecutableResource> node, string configuration, Func<string, string[]> passwordSettings) =>
        _builder.Eventing.Subscribe<BeforeResourceStartedEvent>(node.Resource, async (_, cancellationToken) =>
        {
            if (File.ReadLines(configuration).Any(line => line.StartsWith("requirepass ", StringComparison.Ordinal)))
            {
                return;
            }

            var password = await Password.Resource.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{Password.Resource.Name} has no value.");
            await File.AppendAllLinesAsync(configuration, passwordSettings(password), cancellationToken);
        });

    /// <summary>Registers a health check that is handed the password; returns its key for <c>WithHealthCheck</c>.</summary>
    public string AddHealthCheck(string key, Func<string, Task<HealthCheckResult>> check)
    {
        _builder.Services.AddHealthChecks().AddAsyncCheck(key, async cancellationToken =>
            await check(await Password.Resource.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{Password.Resource.Name} has no value.")));
        return key;
    }

    private LocalRedisNode Add(string name, string program, string configurationFile, IEnumerable<string> settings,
        Func<string, string[]> passwordSettings, Func<IEnumerable<int>, string, Task<StackExchange.Redis.ConnectionMultiplexer>> connect)
    {
        var port = LocalExecutables.FreePort();
        var directory = Directory.CreateDirectory(Path.Combine(RunDirectory, name)).FullName;
        var configuration = Path.Combine(directory, configurationFile);
        File.WriteAllLines(configuration, [$"port {port}", $"bind {Address}", $"dir \"{directory}\"", .. settings]);
        var node = new LocalRedisNode(_builder.AddExecutable(name, program, directory, [configuration])
            .WithEndpoint(port: port, scheme: "tcp", name: "tcp", isProxied: false), port);
        AddPasswordBeforeFirstStart(node.Resource, configuration, passwordSettings);
        // Answering PING means the node has loaded its data (until then it answers LOADING).
        node.Resource.WithHealthCheck(AddHealthCheck($"{name}-answers", async password =>
        {
            await using var connection = await connect([port], password);
            await connection.Server(node).PingAsync();
            return HealthCheckResult.Healthy();
        }));
        return node;
    }
}
