using AppHost.Backplane;
using StackExchange.Redis;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// The AppHost with one of its local failover topologies of Debian's redis-server. Stopping the backplane kills (-9)
/// the primary that serves <see cref="FailoverKey"/>, as a crash would, and the topology promotes its replica; starting
/// it starts that node again through Aspire, and it rejoins as a replica with its data.
/// </summary>
public abstract class TopologyAppHostFixture : AppHostFixture
{
    private string? _killed;

    /// <summary>The key whose primary a stop kills: the broadcast stream's (every replica uses its slot).</summary>
    public static readonly RedisKey FailoverKey = "{" + Streams.Broadcast + "}";

    /// <summary>The redis-server and redis-sentinel resources, to kill, start and ask for their roles.</summary>
    public BackplaneNodes Nodes { get; private set; } = null!;

    /// <summary>Every server keeps an append-only file synced on each write, and a failover keeps what the replica had.</summary>
    public override bool BackplaneKeepsData => true;

    protected abstract BackplaneTopology Topology { get; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        Nodes = await BackplaneNodes.ForAsync(App, Topology, timeout.Token);
    }

    public override async Task StopBackplaneAsync()
    {
        _killed = await Nodes.PrimaryAsync(FailoverKey);
        await Nodes.KillAsync(_killed);
    }

    public override async Task StartBackplaneAsync()
    {
        await Nodes.StartAsync(_killed ?? throw new InvalidOperationException("No backplane node was stopped."));
        _killed = null;
    }
}

/// <summary><c>Backplane:Host=Sentinel</c>: a primary and a replica watched by three Sentinels.</summary>
public sealed class SentinelAppHostFixture : TopologyAppHostFixture
{
    protected override string[] AppHostArguments => [$"Backplane:Host={BackplaneHost.Sentinel}"];

    protected override BackplaneTopology Topology => BackplaneTopology.Sentinel;
}

/// <summary><c>Backplane:Host=Cluster</c>: three primaries with a replica each.</summary>
public sealed class ClusterAppHostFixture : TopologyAppHostFixture
{
    private const string ChannelPrefix = "aspirenotify:";

    protected override string[] AppHostArguments => [$"Backplane:Host={BackplaneHost.Cluster}"];

    protected override BackplaneTopology Topology => BackplaneTopology.Cluster;

    /// <summary>A stream's channel is sharded here (<c>aspirenotify:{user:alice}</c>): its slot's primary counts it.</summary>
    public override async Task<long> SubscribersAsync(string channel)
    {
        var sharded = $"{ChannelPrefix}{{{channel[ChannelPrefix.Length..]}}}";
        var reply = await Redis.GetServer((RedisKey)sharded).ExecuteAsync("PUBSUB", "SHARDNUMSUB", sharded);
        return (long)((RedisResult[])reply!)[1];
    }
}

/// <summary>
/// Alone, after the parallel collections: a node starved of CPU by other AppHosts misses heartbeats, and Sentinel or the
/// cluster fail it over when no test asked for it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SentinelAppHost : ICollectionFixture<SentinelAppHostFixture>
{
    public const string Name = "AppHost with Sentinel";
}

/// <summary>Alone, after the parallel collections, for the same reason as <see cref="SentinelAppHost"/>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterAppHost : ICollectionFixture<ClusterAppHostFixture>
{
    public const string Name = "AppHost with a Redis cluster";
}
