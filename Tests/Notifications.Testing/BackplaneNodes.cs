using System.Diagnostics;
using System.Globalization;
using System.Net;
using AppHost.Backplane;
using Aspire.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Notifications.Testing;

/// <summary>
/// The redis-server and redis-sentinel resources of a running AppHost's local topology (<c>Backplane:Host=Sentinel</c>
/// or <c>Cluster</c>), by resource name: what a crash does to them (kill -9), starting them again through Aspire, and
/// which of them plays which role right now.
/// </summary>
public sealed class BackplaneNodes
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly DistributedApplication _app;
    private readonly string _password;

    private BackplaneNodes(DistributedApplication app, BackplaneTopology topology, string password)
    {
        (_app, Topology, _password) = (app, topology, password);
        (Servers, Sentinels) = topology switch
        {
            BackplaneTopology.Sentinel => (SentinelTopology.Servers, SentinelTopology.Sentinels),
            BackplaneTopology.Cluster => (ClusterTopology.Nodes, []),
            _ => throw new ArgumentOutOfRangeException(nameof(topology), topology, "Only the Sentinel and cluster topologies have nodes to control."),
        };
    }

    public BackplaneTopology Topology { get; }

    /// <summary>The nodes' password, for commands that authenticate to another node themselves (MIGRATE).</summary>
    public string Password => _password;

    /// <summary>The redis-server resources.</summary>
    public IReadOnlyList<string> Servers { get; }

    /// <summary>The redis-sentinel resources (none in a cluster).</summary>
    public IReadOnlyList<string> Sentinels { get; }

    /// <summary>The nodes of the running AppHost's topology, reached with the password of its connection string.</summary>
    public static async Task<BackplaneNodes> ForAsync(DistributedApplication app, BackplaneTopology topology, CancellationToken cancellationToken)
    {
        var connectionString = await app.GetConnectionStringAsync(BackplaneResources.ConnectionName, cancellationToken)
            ?? throw new InvalidOperationException("The AppHost has no backplane connection string.");
        return new BackplaneNodes(app, topology, ConfigurationOptions.Parse(connectionString).Password!);
    }

    /// <summary>Kills a node's process with SIGKILL, as a crash would, and waits until Aspire sees it gone.</summary>
    public async Task KillAsync(string node)
    {
        var running = await WaitForAsync(node, snapshot => snapshot.State?.Text == KnownResourceStates.Running && Pid(snapshot) is not null);
        using (var process = Process.GetProcessById(Pid(running.Snapshot)!.Value))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        await WaitForAsync(node, snapshot => snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state));
    }

    /// <summary>Starts a killed node again with Aspire's start command and waits until it answers (its data loaded).</summary>
    public async Task StartAsync(string node)
    {
        var result = await _app.ResourceCommands.ExecuteCommandAsync(node, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting {node} failed: {result.Message}");
        }

        await WaitForAsync(node, snapshot => snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy);
    }

    /// <summary>
    /// The server that serves <paramref name="key"/> now: with Sentinel, the master the first Sentinel that answers
    /// names (one for every key); in a cluster, the primary of the key's slot as the first node that answers sees it.
    /// </summary>
    public async Task<string> PrimaryAsync(RedisKey key)
    {
        if (Topology == BackplaneTopology.Sentinel)
        {
            return await AskFirstAsync(Sentinels, sentinel: true, async server =>
                NameOf(await server.SentinelGetMasterAddressByNameAsync(SentinelTopology.MasterName)));
        }

        return await AskFirstAsync(Servers, sentinel: false, async server =>
            NameOf((await server.ClusterNodesAsync())?.GetBySlot(key)?.EndPoint));
    }

    /// <summary>
    /// The servers that replicate <paramref name="primary"/> and are up: as the first Sentinel that answers sees them, or
    /// as the first cluster node that answers does.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReplicasOfAsync(string primary)
    {
        if (Topology == BackplaneTopology.Sentinel)
        {
            // Sentinel lists the replicas of the master it monitors, which may not be primary yet: check.
            return await AskFirstAsync(Sentinels, sentinel: true, async server =>
                NameOf(await server.SentinelGetMasterAddressByNameAsync(SentinelTopology.MasterName)) == primary
                    ? (await server.SentinelReplicasAsync(SentinelTopology.MasterName))
                        .Select(fields => fields.ToDictionary(field => field.Key, field => field.Value))
                        .Where(fields => fields["flags"] == "slave")
                        .Select(fields => NameOf(int.Parse(fields["port"], CultureInfo.InvariantCulture)))
                        .ToList()
                    : []);
        }

        return await AskFirstAsync(Servers, sentinel: false, async server =>
        {
            var nodes = (await server.ClusterNodesAsync())?.Nodes ?? [];
            var id = nodes.Single(node => NameOf(node.EndPoint) == primary).NodeId;
            return nodes.Where(node => node.ParentNodeId == id && node.IsConnected && !node.IsFail && !node.IsPossiblyFail)
                .Select(node => NameOf(node.EndPoint)).ToList();
        });
    }

    /// <summary>
    /// Waits until every server answers and half of them are replicas whose link to their primary is up: a failover or a
    /// restart is over, and primaries that demand a replica (<c>min-replicas-to-write</c>) accept writes again.
    /// </summary>
    public Task WaitUntilSteadyAsync(TimeSpan? timeout = null) =>
        Eventually.UntilAsync("every server to answer and every replica to be in sync", async _ =>
        {
            var inSync = 0;
            foreach (var server in Servers)
            {
                if (await InSyncAsync(server))
                {
                    inSync++;
                }
            }

            return inSync == Servers.Count / 2;
        }, timeout);

    /// <summary>Whether a server is a replica whose link to its primary is up (its sync done).</summary>
    public Task<bool> InSyncAsync(string server) =>
        AskAsync(server, sentinel: false, async connection => await connection.InfoRawAsync("replication") is { } replication
            && replication.Contains("role:slave", StringComparison.Ordinal)
            && replication.Contains("master_link_status:up", StringComparison.Ordinal));

    /// <summary>Runs one command on one node, as an administrator would with redis-cli.</summary>
    public Task<RedisResult> ExecuteAsync(string node, string command, params object[] arguments) =>
        AskAsync(node, sentinel: false, server => server.ExecuteAsync(command, arguments));

    /// <summary>The role a server says it has (ROLE): "master" or "slave".</summary>
    public Task<string> RoleAsync(string server) =>
        AskAsync(server, sentinel: false, async connection => (await connection.RoleAsync()).Value);

    /// <summary>Whether a cluster node sees every slot served (<c>cluster_state:ok</c>).</summary>
    public Task<bool> ClusterOkAsync(string node) =>
        AskAsync(node, sentinel: false, async server =>
            ((string?)await server.ExecuteAsync("CLUSTER", "INFO"))?.Contains("cluster_state:ok", StringComparison.Ordinal) == true);

    public int PortOf(string node) => _app.GetEndpoint(node, "tcp").Port;

    private string NameOf(EndPoint? endpoint) =>
        endpoint is IPEndPoint { Port: var port } ? NameOf(port) : throw new InvalidOperationException($"{endpoint} is no server's address.");

    private string NameOf(int port) => Servers.Single(server => PortOf(server) == port);

    private async Task<T> AskFirstAsync<T>(IReadOnlyList<string> nodes, bool sentinel, Func<IServer, Task<T>> question)
    {
        var failures = new List<Exception>();
        foreach (var node in nodes)
        {
            try
            {
                return await AskAsync(node, sentinel, question);
            }
            catch (RedisException failure)
            {
                failures.Add(failure);
            }
        }

        throw new AggregateException($"No node of {string.Join(", ", nodes)} answered.", failures);
    }

    /// <summary>A connection of its own for each question: nodes are killed and started between them.</summary>
    private async Task<T> AskAsync<T>(string node, bool sentinel, Func<IServer, Task<T>> question)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { IPAddress.Loopback, PortOf(node) } },
            Password = _password,
            AllowAdmin = true,
            ConnectRetry = 1,
            TieBreaker = "",
            ConfigurationChannel = "",
        };
        await using var connection = sentinel
            ? await ConnectionMultiplexer.SentinelConnectAsync(options)
            : await ConnectionMultiplexer.ConnectAsync(options);
        return await question(connection.GetServer(IPAddress.Loopback, PortOf(node)));
    }

    private async Task<ResourceEvent> WaitForAsync(string node, Func<CustomResourceSnapshot, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await _app.ResourceNotifications.WaitForResourceAsync(node, update => condition(update.Snapshot), timeout.Token);
    }

    private static int? Pid(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, CultureInfo.InvariantCulture)
            : null;
}
