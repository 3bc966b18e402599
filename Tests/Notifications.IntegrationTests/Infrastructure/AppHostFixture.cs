using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// The real AppHost started once per test class through Aspire.Hosting.Testing: real processes, the DCP proxy in
/// front of the API replicas, and a real backplane chosen by the derived fixture.
/// </summary>
public abstract class AppHostFixture : IAsyncLifetime
{
    public const int ReplicaCount = 3;

    /// <summary>
    /// New connections through the proxy (which picks a replica at random) before every replica has one. Generous: a
    /// replica just restarted by an earlier test gets a small share of the proxy's picks for a while (seen: 2 in 30).
    /// </summary>
    public const int MaxConnectAttempts = 200;

    /// <summary>History and queue limits small enough for the fault tests to step past them.</summary>
    public const int HistoryMaxCount = 300;
    public const int OutboundQueueCapacity = 16;

    private DistributedApplication? _app;
    private ConnectionMultiplexer? _redis;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public NotificationsApi Api { get; private set; } = null!;

    /// <summary>The API replicas, to kill, stop (SIGTERM) and start again.</summary>
    public ApiReplicas Replicas { get; private set; } = null!;

    /// <summary>A direct connection to the backplane, to look at what the replicas subscribe to.</summary>
    public IConnectionMultiplexer Redis => _redis ?? throw new InvalidOperationException("The AppHost has not started.");

    protected abstract string[] AppHostArguments { get; }

    /// <summary>Whether the backplane keeps its data (and so the history epoch) across a stop and start.</summary>
    public abstract bool BackplaneKeepsData { get; }

    public abstract Task StopBackplaneAsync();

    public abstract Task StartBackplaneAsync();

    public virtual async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        (_app, Replicas) = await TestAppHost.StartAsync<Projects.AppHost>(
            [.. AppHostArguments,
             $"NotificationsApi:Settings:History:MaxCount={HistoryMaxCount}",
             $"NotificationsApi:Settings:Connections:OutboundQueueCapacity={OutboundQueueCapacity}",
             .. ApiProcess.OpenLimits.Select(limit => $"NotificationsApi:Settings:{limit.Key}={limit.Value}")], ReplicaCount, timeout.Token);

        Api = new NotificationsApi(_app.GetEndpoint(ServiceNames.Api, "http"));
        var connectionString = await _app.GetConnectionStringAsync(AppHost.Backplane.BackplaneResources.ConnectionName, timeout.Token);
        _redis = await ConnectionMultiplexer.ConnectAsync(connectionString!);
    }

    public virtual async Task DisposeAsync()
    {
        if (Replicas is not null)
        {
            await Replicas.DisposeAsync();
        }

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

    /// <summary>How many replicas are subscribed to a Redis channel (<c>aspirenotify:&lt;stream&gt;</c>) right now.</summary>
    public virtual async Task<long> SubscribersAsync(string channel)
    {
        var reply = await Redis.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", channel);
        return (long)((RedisResult[])reply!)[1];
    }

    protected async Task ExecuteAsync(string resource, string command)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(resource, command);
        Assert.True(result.Success, $"{command} on {resource} failed: {result.Message}");
    }
}

/// <summary>The embedded Garnet backplane, as on a machine without a container runtime.</summary>
public sealed class GarnetAppHostFixture : AppHostFixture
{
    protected override string[] AppHostArguments => ["Backplane:Host=Garnet"];

    /// <summary>The dev Garnet keeps everything in memory: a restart starts a new epoch.</summary>
    public override bool BackplaneKeepsData => false;

    public override Task StopBackplaneAsync() => ExecuteAsync(AppHost.Backplane.BackplaneResources.GarnetName, KnownResourceCommands.StopCommand);

    public override Task StartBackplaneAsync() => ExecuteAsync(AppHost.Backplane.BackplaneResources.GarnetName, KnownResourceCommands.StartCommand);
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
