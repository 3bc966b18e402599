using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// An upgrade of <c>/ws</c> that opens its connection is taken over from Kestrel's HTTP layer (no HTTP request stays
/// open under the socket); everything else — other requests, malformed upgrades, an upgrade after another request —
/// is served by the HTTP layer exactly as before.
/// </summary>
public sealed class UpgradeTakeoverTests(GarnetFixture backplane) : IClassFixture<GarnetFixture>
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";
    private const string KeyAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task A_socket_holds_an_HTTP_request_only_when_the_takeover_is_off(bool takeOver, int upgradedRequests)
    {
        await using var replica = backplane.StartReplica(new() { ["Connections:TakeOverUpgrades"] = takeOver ? "true" : "false" });
        using var upgraded = UpgradedRequests(replica);
        var token = await replica.Api.TokenAsync($"taken-{Guid.NewGuid():N}");

        await using (var socket = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token))
        {
            await socket.SendTextAsync("""{"type":"ping","t":"over"}""");
            Assert.Equal("over", (await socket.NextAsync()).GetProperty("t").GetString());
            Assert.Equal(1, replica.Registry.ConnectionCount);
        }

        Assert.Equal(upgradedRequests, upgraded.GetMeasurementSnapshot().Count(m => m.Value > 0));
    }

    [Fact]
    public async Task The_handshake_answers_101_with_the_key_accepted_and_the_headers_Kestrel_sends()
    {
        await using var replica = backplane.StartReplica([]);
        using var tcp = await ConnectAsync(replica);

        await SendAsync(tcp, UpgradeHead(replica, await replica.Api.TokenAsync("raw")));
        var head = await ReadHeadAsync(tcp);

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: Upgrade\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nUpgrade: websocket\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"\r\nSec-WebSocket-Accept: {KeyAccept}\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nServer: Kestrel\r\n", head, StringComparison.Ordinal);
        Assert.Contains("\r\nDate: ", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Frames_sent_right_behind_the_head_are_read_as_the_sockets_first_messages()
    {
        await using var replica = backplane.StartReplica([]);
        using var tcp = await ConnectAsync(replica);
        var ping = Encoding.ASCII.GetBytes(UpgradeHead(replica, await replica.Api.TokenAsync("eager"))).Concat(MaskedText("""{"type":"ping","t":"early"}"""));

        await SendAsync(tcp, ping.ToArray());
        Assert.StartsWith("HTTP/1.1 101", await ReadHeadAsync(tcp), StringComparison.Ordinal);
        using var socket = WebSocket.CreateFromStream(tcp.GetStream(), new WebSocketCreationOptions());

        Assert.Equal(FrameTypes.Welcome, (await ReceiveAsync(socket)).GetProperty(FrameFields.Type).GetString());
        Assert.Equal("early", (await ReceiveAsync(socket)).GetProperty("t").GetString());
    }

    [Theory]
    [InlineData("Sec-WebSocket-Key: not-16-bytes==\r\n")]
    [InlineData("Sec-WebSocket-Key: " + Key + "\r\nSec-WebSocket-Key: " + Key + "\r\n")]
    [InlineData("")]
    public async Task An_upgrade_with_a_bad_or_missing_key_is_answered_400_not_websocket_by_the_endpoint(string keyLines)
    {
        await using var replica = backplane.StartReplica([]);
        using var tcp = await ConnectAsync(replica);
        var token = await replica.Api.TokenAsync("badkey");

        await SendAsync(tcp, $"GET /ws?access_token={token} HTTP/1.1\r\nHost: {replica.Api.BaseAddress.Authority}\r\nUpgrade: websocket\r\n" +
            $"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n{keyLines}\r\n");

        await AssertNotWebSocketAsync(tcp);
    }

    [Theory]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + Key + "\r\n")]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + Key + "\r\n")]
    [InlineData("Connection: keep-alive\r\n")]
    public async Task A_get_of_ws_that_is_not_a_version_13_upgrade_is_answered_400_not_websocket(string headers)
    {
        await using var replica = backplane.StartReplica([]);
        using var tcp = await ConnectAsync(replica);

        await SendAsync(tcp, $"GET /ws HTTP/1.1\r\nHost: {replica.Api.BaseAddress.Authority}\r\n{headers}\r\n");

        await AssertNotWebSocketAsync(tcp);
    }

    [Fact]
    public async Task An_upgrade_after_another_request_on_the_same_connection_is_served_by_the_HTTP_layer()
    {
        await using var replica = backplane.StartReplica([]);
        using var upgraded = UpgradedRequests(replica);
        using var tcp = await ConnectAsync(replica);

        await SendAsync(tcp, $"GET /alive HTTP/1.1\r\nHost: {replica.Api.BaseAddress.Authority}\r\n\r\n");
        var alive = await ReadHeadAsync(tcp);
        await SkipBodyAsync(tcp, alive);
        await SendAsync(tcp, UpgradeHead(replica, await replica.Api.TokenAsync("second")));

        Assert.StartsWith("HTTP/1.1 200", alive, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 101", await ReadHeadAsync(tcp), StringComparison.Ordinal);
        using var socket = WebSocket.CreateFromStream(tcp.GetStream(), new WebSocketCreationOptions());
        Assert.Equal(FrameTypes.Welcome, (await ReceiveAsync(socket)).GetProperty(FrameFields.Type).GetString());
        Assert.Equal(1, upgraded.GetMeasurementSnapshot().Count(m => m.Value > 0));
    }

    [Fact]
    public async Task A_refused_upgrade_leaves_the_connection_to_HTTP_for_its_next_request()
    {
        await using var replica = backplane.StartReplica([]);
        using var tcp = await ConnectAsync(replica);

        await SendAsync(tcp, UpgradeHead(replica, "not-a-token"));
        var refused = await ReadHeadAsync(tcp);
        await SkipBodyAsync(tcp, refused);
        await SendAsync(tcp, $"GET /alive HTTP/1.1\r\nHost: {replica.Api.BaseAddress.Authority}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 401", refused, StringComparison.Ordinal);
        Assert.Contains("\r\nWWW-Authenticate: Bearer\r\n", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", await ReadHeadAsync(tcp), StringComparison.Ordinal);
    }

    private static MetricCollector<long> UpgradedRequests(InProcessReplica replica) =>
        new(replica.Services.GetRequiredService<IMeterFactory>(), "Microsoft.AspNetCore.Server.Kestrel", "kestrel.upgraded_connections");

    private static string UpgradeHead(InProcessReplica replica, string token) =>
        $"GET /ws?access_token={token} HTTP/1.1\r\nHost: {replica.Api.BaseAddress.Authority}\r\nUpgrade: websocket\r\n" +
        $"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\n\r\n";

    private static async Task<TcpClient> ConnectAsync(InProcessReplica replica)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(replica.Api.BaseAddress.Host, replica.Api.BaseAddress.Port);
        return tcp;
    }

    private static Task SendAsync(TcpClient tcp, string text) => SendAsync(tcp, Encoding.ASCII.GetBytes(text));

    private static async Task SendAsync(TcpClient tcp, byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(NotificationSocket.FrameTimeout);
        await tcp.GetStream().WriteAsync(bytes, timeout.Token);
    }

    /// <summary>Reads a response head byte by byte, so what follows it stays in the stream.</summary>
    private static async Task<string> ReadHeadAsync(TcpClient tcp)
    {
        var head = new StringBuilder();
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            head.Append(await ReadExactlyAsync(tcp, 1));
        }

        return head.ToString();
    }

    /// <summary>Reads the body that follows <paramref name="head"/>, sized or chunked, so the next response can be read.</summary>
    private static async Task<string> SkipBodyAsync(TcpClient tcp, string head)
    {
        var lines = head.Split("\r\n");
        if (lines.FirstOrDefault(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } sized)
        {
            return await ReadExactlyAsync(tcp, int.Parse(sized["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture));
        }

        var body = new StringBuilder();
        while (int.Parse(await ReadLineAsync(tcp), NumberStyles.HexNumber, CultureInfo.InvariantCulture) is var size and > 0)
        {
            body.Append(await ReadExactlyAsync(tcp, size));
            await ReadLineAsync(tcp);
        }

        await ReadLineAsync(tcp);
        return body.ToString();
    }

    private static async Task<string> ReadExactlyAsync(TcpClient tcp, int length)
    {
        var bytes = new byte[length];
        using var timeout = new CancellationTokenSource(NotificationSocket.FrameTimeout);
        await tcp.GetStream().ReadExactlyAsync(bytes, timeout.Token);
        return Encoding.UTF8.GetString(bytes);
    }

    private static async Task<string> ReadLineAsync(TcpClient tcp)
    {
        var line = new StringBuilder();
        while (!line.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            line.Append(await ReadExactlyAsync(tcp, 1));
        }

        return line.ToString()[..^2];
    }

    private static async Task AssertNotWebSocketAsync(TcpClient tcp)
    {
        var head = await ReadHeadAsync(tcp);
        Assert.StartsWith("HTTP/1.1 400", head, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"not_websocket\"", await SkipBodyAsync(tcp, head), StringComparison.Ordinal);
    }

    /// <summary>One masked text frame, as a client must send it.</summary>
    private static byte[] MaskedText(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        byte[] mask = [1, 2, 3, 4];
        return [0x81, (byte)(0x80 | payload.Length), .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }

    private static async Task<JsonElement> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(NotificationSocket.FrameTimeout);
        var buffer = new byte[16 * 1024];
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.True(result.EndOfMessage);
        return JsonDocument.Parse(buffer.AsMemory(0, result.Count)).RootElement;
    }
}
