using System.Net.WebSockets;
using System.Text;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class NotificationConnectionTests
{
    private static NotificationConnection Connection(SocketPair pair, int capacity = 16) =>
        new("c1", "alice", DateTimeOffset.MaxValue, pair.Server, capacity, TimeSpan.FromSeconds(5), TestMetrics.Create().Metrics);

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task While_starting_live_notifications_wait_and_only_those_after_the_start_positions_follow()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);

        connection.SendNotification(Text("user-4"), StreamSlot.User, 4, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("user-6"), StreamSlot.User, 6, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("broadcast-9"), StreamSlot.Broadcast, 9, DateTimeOffset.UtcNow);
        connection.Send(Text("welcome"));
        connection.Send(Text("replay 4..5"), notifications: 2);
        connection.GoLive(userSeq: 5, broadcastSeq: 8);
        connection.SendNotification(Text("user-6 again"), StreamSlot.User, 6, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("user-7"), StreamSlot.User, 7, DateTimeOffset.UtcNow);

        Assert.Equal("welcome", await pair.ReceiveAsync());
        Assert.Equal("replay 4..5", await pair.ReceiveAsync());
        Assert.Equal("user-6", await pair.ReceiveAsync());
        Assert.Equal("broadcast-9", await pair.ReceiveAsync());
        Assert.Equal("user-7", await pair.ReceiveAsync());
    }

    [Fact]
    public async Task Live_notifications_queued_behind_a_write_leave_together_as_one_batch()
    {
        using var pair = new SocketPair(clientReadsEveryWrite: true);
        var connection = Connection(pair);
        connection.GoLive(0, 0);

        connection.SendNotification(Text("""{"type":"notification","seq":1}"""), StreamSlot.User, 1, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("""{"type":"notification","seq":2}"""), StreamSlot.User, 2, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("""{"type":"notification","seq":3}"""), StreamSlot.Broadcast, 1, DateTimeOffset.UtcNow);
        connection.Send(Text("pong"));
        connection.SendNotification(Text("""{"type":"notification","seq":4}"""), StreamSlot.User, 4, DateTimeOffset.UtcNow);

        Assert.Equal("""{"type":"notification","seq":1}""", await pair.ReceiveAsync());
        Assert.Equal("""{"type":"batch","items":[{"type":"notification","seq":2},{"type":"notification","seq":3}]}""", await pair.ReceiveAsync());
        Assert.Equal("pong", await pair.ReceiveAsync());
        Assert.Equal("""{"type":"notification","seq":4}""", await pair.ReceiveAsync());
    }

    [Fact]
    public async Task A_full_queue_closes_the_connection_as_a_slow_consumer()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair, capacity: 2);
        connection.GoLive(0, 0);

        // Nothing reads the client side, so the first write waits and the queue behind it fills.
        for (var seq = 1; seq <= 50; seq++)
        {
            connection.SendNotification(new byte[32 * 1024], StreamSlot.User, seq, DateTimeOffset.UtcNow);
        }

        Assert.Equal(CloseCodes.SlowConsumer, connection.CloseStatus);
        string? frame;
        do
        {
            frame = await pair.ReceiveAsync();
        }
        while (frame is not null);

        Assert.Equal(CloseCodes.SlowConsumer, pair.Client.CloseStatus);
    }

    [Fact]
    public async Task Close_jumps_the_queue_and_nothing_is_sent_after_it()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);
        connection.GoLive(0, 0);

        var closed = connection.CloseAsync(CloseCodes.ServiceRestart, "restart");
        connection.SendNotification(Text("too late"), StreamSlot.User, 1, DateTimeOffset.UtcNow);

        Assert.Null(await pair.ReceiveAsync());
        await closed;
        Assert.Equal(CloseCodes.ServiceRestart, pair.Client.CloseStatus);
        Assert.Equal("restart", pair.Client.CloseStatusDescription);
        Assert.Equal(WebSocketState.CloseReceived, pair.Client.State);
    }
}
