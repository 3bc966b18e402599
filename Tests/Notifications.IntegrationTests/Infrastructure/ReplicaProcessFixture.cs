using StackExchange.Redis;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// One API replica in its own process (as bench/ starts them) on Debian's redis-server, so what a test measures (its
/// heap, its connections) is the replica's alone, not the test runner's. Keep-alive pings every second, so a peer that
/// went silent is aborted within a test.
/// </summary>
public sealed class ReplicaProcessFixture : IAsyncLifetime
{
    private LocalCluster? _cluster;

    public ApiProcess Replica => Cluster.Replicas[0];

    public NotificationsApi Api => new(Replica.BaseAddress);

    private LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() =>
        _cluster = await LocalCluster.StartAsync(1, new Dictionary<string, string>
        {
            ["Connections__KeepAliveInterval"] = "00:00:01",
            ["Connections__KeepAliveTimeout"] = "00:00:01",
        }, ApiProcess.ConfigurationOf(typeof(ReplicaProcessFixture)), new RedisServerOptions { Durable = false });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    public Task<ConnectionMultiplexer> RedisAsync() => Cluster.Redis.ConnectAsync();

}

[CollectionDefinition(Name)]
public sealed class ReplicaProcess : ICollectionFixture<ReplicaProcessFixture>
{
    public const string Name = "API replica in its own process";
}
