using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>One test per limit of docs/security.md, each on a replica of its own with that limit set low.</summary>
public sealed class LimitsTests(GarnetFixture backplane) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task A_client_sending_faster_than_its_message_rate_is_closed_with_1008_and_others_are_untouched()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:InboundMessagesPerSecond"] = "1", ["Limits:InboundMessageBurst"] = "5" });
        var token = await replica.Api.TokenAsync("chatty");
        await using var bystander = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);
        await using var chatty = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);

        for (var i = 0; i < 20 && chatty.CloseStatus is null; i++)
        {
            await chatty.SendTextAsync($$"""{"type":"ping","t":{{i}}}""");
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await chatty.ClosedByServerAsync());
        await bystander.SendTextAsync("""{"type":"ping","t":"still here"}""");
        Assert.Equal("still here", (await bystander.NextAsync()).GetProperty("t").GetString());
    }

    [Fact]
    public async Task One_connection_more_than_a_user_may_hold_is_refused_with_429_until_one_closes()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:ConnectionsPerUser"] = "2" });
        var token = await replica.Api.TokenAsync($"limited-{Guid.NewGuid():N}");
        var first = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);
        await using var second = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);

        Assert.Equal(429, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token)));

        await first.DisposeAsync();
        await Eventually.UntilAsync("the closed connection's lease to be released", async _ =>
        {
            try
            {
                await using var third = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);
                return true;
            }
            catch (WebSocketException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task A_replica_at_capacity_answers_503_so_the_client_tries_another()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:MaxConnectionsPerReplica"] = "2" });
        await using var one = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync("cap-1"));
        await using var two = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync("cap-2"));

        Assert.Equal(503, await NotificationSocket.RefusedStatusAsync(
            NotificationSocket.WebSocketUri(replica.Api.BaseAddress, await replica.Api.TokenAsync("cap-3"))));
    }

    [Fact]
    public async Task Upgrade_attempts_past_the_per_address_rate_get_429()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:UpgradesPerAddressPerSecond"] = "1", ["Limits:UpgradeBurst"] = "3" });
        var uri = NotificationSocket.WebSocketUri(replica.Api.BaseAddress, await replica.Api.TokenAsync("eager"));

        var statuses = new List<int>();
        for (var attempt = 0; attempt < 10 && !statuses.Contains(429); attempt++)
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(uri, CancellationToken.None);
                statuses.Add(101);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                statuses.Add((int)socket.HttpStatusCode);
            }
        }

        Assert.Equal(429, statuses[^1]);
        Assert.True(statuses.Count(status => status == 101) <= 4);
    }

    [Fact]
    public async Task A_publish_body_over_the_limit_gets_413()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:MaxPublishBodyBytes"] = "4096" });
        using var http = replica.Api.NewClient();
        var token = await replica.Api.TokenAsync("publisher", "publisher");

        using var small = await NotificationsApi.PublishToUserAsync(http, token, "someone", new { data = new string('x', 1000) });
        using var large = await NotificationsApi.PublishToUserAsync(http, token, "someone", new { data = new string('x', 5000) });

        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
    }

    [Fact]
    public async Task Publishes_past_the_per_caller_rate_get_429_with_Retry_After_and_other_callers_are_untouched()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:PublishesPerCallerPerSecond"] = "1", ["Limits:PublishBurst"] = "3" });
        using var http = replica.Api.NewClient();
        var greedy = await replica.Api.TokenAsync("greedy", "publisher");
        var modest = await replica.Api.TokenAsync("modest", "publisher");

        HttpResponseMessage? refused = null;
        for (var attempt = 0; attempt < 10 && refused is null; attempt++)
        {
            var response = await NotificationsApi.BroadcastAsync(http, greedy, new { data = attempt });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                response.Dispose();
            }
        }

        using (refused)
        {
            Assert.NotNull(refused);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        using var other = await NotificationsApi.BroadcastAsync(http, modest, new { data = "mine" });
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
    }

    [Fact]
    public async Task A_client_that_never_finishes_its_handshake_is_dropped_after_the_handshake_timeout()
    {
        await using var replica = backplane.StartReplica(new() { ["Limits:HandshakeTimeout"] = "00:00:01" });
        using var connections = new MetricCollector<double>(replica.Services.GetRequiredService<IMeterFactory>(),
            "Microsoft.AspNetCore.Server.Kestrel", "kestrel.connection.duration");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(replica.Api.BaseAddress.Host, replica.Api.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"));

        // Kestrel answers 408 and closes, or just closes; either way the read ends instead of hanging.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[1024];
        int read;
        do
        {
            read = await stream.ReadAsync(buffer, timeout.Token);
        }
        while (read > 0);

        Assert.Equal(0, replica.Registry.ConnectionCount);
        // Kestrel counts it, with why the connection ended; docs/security.md points there.
        var ended = await Eventually.UntilAsync("Kestrel to count the connection", _ =>
            Task.FromResult(connections.GetMeasurementSnapshot().LastOrDefault(m => m.Tags.ContainsKey("error.type"))?.Tags["error.type"]?.ToString()));
        Assert.Equal("request_headers_timeout", ended);
    }

    [Fact]
    public async Task A_client_that_never_answers_the_servers_close_is_aborted_after_the_close_timeout_and_counted()
    {
        await using var replica = backplane.StartReplica(new() { ["Connections:CloseTimeout"] = "00:00:01" });
        using var aborted = new MetricCollector<long>(replica.Services.GetRequiredService<IMeterFactory>(), TelemetryNames.Source,
            TelemetryNames.ConnectionsAborted);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(replica.Api.BaseAddress.Host, replica.Api.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /ws?access_token={await replica.Api.TokenAsync("mute")} HTTP/1.1\r\n" +
            $"Host: {replica.Api.BaseAddress.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"));

        // A masked binary frame gets a 1003 close, which this client reads but never answers.
        await stream.WriteAsync(new byte[] { 0x82, 0x81, 1, 2, 3, 4, 0 });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
        }

        await Eventually.UntilAsync("the mute client to be removed", _ => Task.FromResult(replica.Registry.ConnectionCount == 0));
        Assert.Contains(aborted.GetMeasurementSnapshot(), m => Equals(m.Tags[TelemetryNames.Tags.Reason], TelemetryNames.CloseReasons.CloseTimeout));
    }
}
