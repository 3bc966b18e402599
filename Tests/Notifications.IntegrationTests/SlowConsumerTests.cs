using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

public sealed class SlowConsumerTests(InProcessApi replica) : IClassFixture<InProcessApi>
{
    [Fact]
    public async Task A_client_that_stops_reading_is_closed_with_4000_after_an_in_order_prefix_and_others_keep_receiving()
    {
        using var failed = new MetricCollector<long>(replica.Services.GetRequiredService<IMeterFactory>(), TelemetryNames.Source, TelemetryNames.DeliveriesFailed);
        const string user = "slow-reader";
        var token = await replica.Api.TokenAsync(user);
        var publisherToken = await replica.Api.TokenAsync("publisher", "publisher");
        await using var bystander = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);

        using var slow = new ClientWebSocket();
        await slow.ConnectAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token), CancellationToken.None);
        var buffer = new byte[1 << 20];
        Assert.Contains("welcome", await ReceiveTextAsync(slow, buffer), StringComparison.Ordinal);

        // The slow client now reads nothing: kernel buffers fill, then its queue, then the server gives up on it.
        var payload = new string('x', 64 * 1024);
        using var http = replica.Api.NewClient();
        var published = new List<string>();
        for (var n = 0; !failed.GetMeasurementSnapshot().Any(IsSlowConsumer); n++)
        {
            Assert.True(n < 5_000, "The slow client was never cut off.");
            var id = await NotificationsApi.AcceptedIdAsync(
                await NotificationsApi.PublishToUserAsync(http, publisherToken, user, new { data = new { n, payload } }), $"user:{user}");
            published.Add(id);
            // In step with the bystander (same user, same replica), which keeps receiving everything in order.
            Assert.Equal(id, (await bystander.NextNotificationAsync()).GetProperty("id").GetString());
        }

        // The slow client gets what was already on its way, in order, then the close frame with 4000.
        var received = new List<string>();
        while (true)
        {
            var frame = await ReceiveTextAsync(slow, buffer);
            if (frame is null)
            {
                break;
            }

            using var document = JsonDocument.Parse(frame);
            received.Add(document.RootElement.GetProperty("id").GetString()!);
        }

        Assert.Equal((WebSocketCloseStatus)4000, slow.CloseStatus);
        Assert.NotEmpty(received);
        Assert.True(received.Count < published.Count);
        Assert.Equal(published.Take(received.Count), received);
        await Eventually.UntilAsync("the slow client to be removed", _ => Task.FromResult(replica.Registry.ConnectionsOf(user).Length == 1));
    }

    private static bool IsSlowConsumer(CollectedMeasurement<long> measurement) =>
        measurement.Tags.TryGetValue(TelemetryNames.Tags.Reason, out var reason) && (string?)reason == TelemetryNames.FailureReasons.SlowConsumer;

    /// <summary>One whole text message, or null once the server's close frame arrived (answered, as a client must).</summary>
    private static async Task<string?> ReceiveTextAsync(ClientWebSocket socket, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(NotificationSocket.FrameTimeout);
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
            }
        }
    }
}
