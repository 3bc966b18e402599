using System.Net.Sockets;
using System.Text;
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

    /// <summary>Opens a TCP connection and sends the upgrade request; returns it with the server's answer.</summary>
    public async Task<(TcpClient Tcp, string Response)> UpgradeAsync(string token)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(Replica.BaseAddress.Host, Replica.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(UpgradeRequest(token)));
        var response = new byte[4096];
        var read = await stream.ReadAsync(response);
        return (tcp, Encoding.ASCII.GetString(response, 0, read));
    }

    public string UpgradeRequest(string token) =>
        $"GET /ws?access_token={token} HTTP/1.1\r\nHost: {Replica.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
}

[CollectionDefinition(Name)]
public sealed class ReplicaProcess : ICollectionFixture<ReplicaProcessFixture>
{
    public const string Name = "API replica in its own process";
}
