using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// The real AppHost started once per test class through Aspire.Hosting.Testing: real processes, the DCP proxy in
/// front of the API replicas, and a real backplane chosen by the derived fixture.
/// </summary>
public abstract class AppHostFixture : IAsyncLifetime
{
    public const string ApiResource = "notifications-api";
    public const int Replicas = 3;

    /// <summary>History and queue limits small enough for the fault tests to step past them.</summary>
    public const int HistoryMaxCount = 300;
    public const int OutboundQueueCapacity = 16;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _replicas = new();
    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;
    private ConnectionMultiplexer? _redis;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public NotificationsApi Api { get; private set; } = null!;

    /// <summary>A direct connection to the backplane, to look at what the replicas subscribe to.</summary>
    public IConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("The AppHost has not started.");

    protected abstract string[] AppHostArguments { get; }

    /// <summary>Whether the backplane keeps its data (and so the history epoch) across a stop and start.</summary>
    public abstract bool BackplaneKeepsData { get; }

    public abstract Task StopBackplaneAsync();

    public abstract Task StartBackplaneAsync();

    public virtual async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            [.. AppHostArguments, $"NotificationsApi:Replicas={Replicas}",
             $"NotificationsApi:Settings:History:MaxCount={HistoryMaxCount}",
             $"NotificationsApi:Settings:Connections:OutboundQueueCapacity={OutboundQueueCapacity}",
             .. InProcessReplica.OpenLimits.Select(limit => $"NotificationsApi:Settings:{limit.Key}={limit.Value}")], timeout.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        _ = TrackReplicasAsync(_stopping.Token);
        await WaitForHealthyReplicasAsync(timeout.Token);

        Api = new NotificationsApi(_app.GetEndpoint(ApiResource, "http"));
        var connectionString = await _app.GetConnectionStringAsync("redis", timeout.Token);
        _redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
    }

    public virtual async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>How many replicas are subscribed to a Redis channel right now.</summary>
    public async Task<long> SubscribersAsync(string channel)
    {
        var reply = await Redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel);
        return (long)((RedisResult[])reply!)[1];
    }

    /// <summary>Kills a replica's process tree at once, as a crash or an evicted container would end it.</summary>
    public void KillReplica(string node)
    {
        using var process = Process.GetProcessById(ReplicaProcessId(node));
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>
    /// Stops a replica the way Container Apps or Kubernetes do, with SIGTERM, and waits until it has exited: it drains
    /// first. (The dashboard's stop command gives a replica too little time to drain and reports a failure.)
    /// </summary>
    public async Task StopReplicaAsync(string node)
    {
        using (var kill = Process.Start("kill", ["-TERM", ReplicaProcessId(node).ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(ApiResource,
            update => update.ResourceId == node && update.Snapshot.State?.Text == KnownResourceStates.Exited || update.Snapshot.State?.Text == KnownResourceStates.Finished,
            timeout.Token);
    }

    private int ReplicaProcessId(string node) =>
        Convert.ToInt32(_replicas[node].Properties.Single(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);

    /// <summary>Starts a stopped or killed replica again and waits until it reports healthy.</summary>
    public async Task StartReplicaAsync(string node)
    {
        await ExecuteAsync(node, KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(ApiResource,
            update => update.ResourceId == node && update.Snapshot.HealthStatus == HealthStatus.Healthy, timeout.Token);
    }

    protected async Task ExecuteAsync(string resource, string command)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} on {resource} failed: {result.Message}");
    }

    /// <summary>The latest snapshot of each replica, by resource id (which is the node name the API reports).</summary>
    private async Task TrackReplicasAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(cancellationToken))
            {
                if (update.Resource.Name == ApiResource)
                {
                    _replicas[update.ResourceId] = update.Snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Each replica reports its own health; waiting on the resource name alone would return after the first.</summary>
    private async Task WaitForHealthyReplicasAsync(CancellationToken cancellationToken)
    {
        var healthy = new HashSet<string>();
        await foreach (var update in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name != ApiResource)
            {
                continue;
            }

            if (update.Snapshot.HealthStatus == HealthStatus.Healthy)
            {
                healthy.Add(update.ResourceId);
            }
            else
            {
                healthy.Remove(update.ResourceId);
            }

            if (healthy.Count == Replicas)
            {
                return;
            }
        }
    }
}

/// <summary>The embedded Garnet backplane, as on a machine without a container runtime.</summary>
public sealed class GarnetAppHostFixture : AppHostFixture
{
    private const string GarnetResource = "garnet";

    protected override string[] AppHostArguments => ["Backplane:Host=Garnet"];

    /// <summary>The dev Garnet keeps everything in memory: a restart starts a new epoch.</summary>
    public override bool BackplaneKeepsData => false;

    public override Task StopBackplaneAsync() => ExecuteAsync(GarnetResource, KnownResourceCommands.StopCommand);

    public override Task StartBackplaneAsync() => ExecuteAsync(GarnetResource, KnownResourceCommands.StartCommand);
}

/// <summary>Debian's redis-server, given to the AppHost as <c>ConnectionStrings:redis</c>.</summary>
public sealed class RedisServerAppHostFixture : AppHostFixture
{
    private readonly RedisServerProcess _server = new();

    protected override string[] AppHostArguments => [$"ConnectionStrings:redis={_server.ConnectionString}"];

    public override bool BackplaneKeepsData => true;

    public override async Task InitializeAsync()
    {
        await _server.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _server.DisposeAsync();
    }

    public override Task StopBackplaneAsync() => _server.StopAsync();

    public override Task StartBackplaneAsync() => _server.StartAsync();
}

[CollectionDefinition(Name)]
public sealed class GarnetAppHost : ICollectionFixture<GarnetAppHostFixture>
{
    public const string Name = "AppHost with Garnet";
}

[CollectionDefinition(Name)]
public sealed class RedisServerAppHost : ICollectionFixture<RedisServerAppHostFixture>
{
    public const string Name = "AppHost with redis-server";
}
