using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>Connections come and go without leaving anything behind in the replica.</summary>
public sealed class ConnectionLifecycleTests(InProcessApi replica) : IClassFixture<InProcessApi>
{
    [Fact]
    public async Task Opening_and_closing_1000_connections_leaves_the_registry_and_the_active_gauge_at_zero()
    {
        using var active = new MetricCollector<long>(replica.Services.GetRequiredService<IMeterFactory>(), TelemetryNames.Source, TelemetryNames.ConnectionsActive);
        var tokens = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => replica.Api.TokenAsync($"leak-{i}")));

        // Ten at a time, so adds and removes of the same users interleave inside the replica.
        for (var batch = 0; batch < 100; batch++)
        {
            var sockets = await Task.WhenAll(tokens.Select(token => NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token)));
            Assert.True(replica.Registry.ConnectionCount >= sockets.Length);
            await Task.WhenAll(sockets.Select(socket => socket.DisposeAsync().AsTask()));
        }

        await Eventually.UntilAsync("every connection to be removed", _ => Task.FromResult(replica.Registry.ConnectionCount == 0));
        Assert.Equal(0, replica.Registry.UserCount);
        Assert.Equal(1000, active.GetMeasurementSnapshot().Count(m => m.Value == 1));
        Assert.Equal(0, active.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Empty(replica.Registry.All());
    }

    [Fact]
    public async Task A_peer_that_stops_answering_pings_is_aborted_removed_and_counted()
    {
        var meters = replica.Services.GetRequiredService<IMeterFactory>();
        using var aborted = new MetricCollector<long>(meters, TelemetryNames.Source, TelemetryNames.ConnectionsAborted);
        using var ended = new MetricCollector<double>(meters, TelemetryNames.Source, TelemetryNames.ConnectionDuration);
        var token = await replica.Api.TokenAsync("silent-peer");
        // A raw TCP client completes the upgrade and then never reads again, so it never answers a ping.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(replica.Api.BaseAddress.Host, replica.Api.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = $"GET /ws?access_token={token} HTTP/1.1\r\nHost: {replica.Api.BaseAddress.Authority}\r\n" +
                      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = new byte[1024];
        var read = await stream.ReadAsync(response);
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(response, 0, read), StringComparison.Ordinal);

        await Eventually.UntilAsync("the silent peer to be registered",
            _ => Task.FromResult(replica.Registry.ConnectionsOf("silent-peer").Length == 1));
        await Eventually.UntilAsync("the silent peer to be aborted after the keep-alive timeout",
            _ => Task.FromResult(replica.Registry.ConnectionsOf("silent-peer").Length == 0),
            TimeSpan.FromSeconds(InProcessApi.KeepAliveSeconds * 10 + 5));
        Assert.Contains(aborted.GetMeasurementSnapshot(), m => Equals(m.Tags[TelemetryNames.Tags.Reason], TelemetryNames.CloseReasons.KeepAliveTimeout));
        Assert.Contains(ended.GetMeasurementSnapshot(), m => Equals(m.Tags[TelemetryNames.Tags.Reason], TelemetryNames.CloseReasons.KeepAliveTimeout));
    }
}
