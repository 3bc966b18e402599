using System.Net.WebSockets;
using System.Text;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class NotificationConnectionTests
{
    private static NotificationConnection Connection(SocketPair pair, int capacity = 16) =>
        new("c1", "alice", DateTimeOffset.MaxValue, new WebSocketTransport(pair.Server), capacity, TimeSpan.FromSeconds(5), TestMetrics.Create().Metrics);

    private const string User = "user:alice";
    private const string Broadcast = "broadcast";
    private const string Topic = "topic:team-42";

    private static Dictionary<string, StreamHead> Heads(long user, long broadcast) => new()
    {
        [User] = new StreamHead("e1", user),
        [Broadcast] = new StreamHead("e2", broadcast),
    };

    private const string BatchPrefix = """{"type":"batch","items":[""";

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The items of a batch frame (these test payloads are not JSON, so the frame is split by hand).</summary>
    private static IEnumerable<string> Flatten(string frame) =>
        frame.StartsWith(BatchPrefix, StringComparison.Ordinal) ? SplitItems(frame[BatchPrefix.Length..^2]) : [frame];

    private static IEnumerable<string> SplitItems(string items)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < items.Length; i++)
        {
            depth += items[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (items[i] == ',' && depth == 0)
            {
                yield return items[start..i];
                start = i + 1;
            }
        }

        yield return items[start..];
    }

    /// <summary>The next <paramref name="count"/> items, whether they came one per frame or batched.</summary>
    private static async Task<List<string>> ItemsAsync(SocketPair pair, int count)
    {
        var items = new List<string>();
        while (items.Count < count)
        {
            items.AddRange(Flatten((await pair.ReceiveAsync())!));
        }

        return items;
    }

    [Fact]
    public async Task While_starting_live_notifications_wait_and_only_those_after_the_start_positions_follow()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);

        connection.SendNotification(Text("user-4"), User, 4, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("user-6"), User, 6, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("broadcast-9"), Broadcast, 9, DateTimeOffset.UtcNow);
        connection.Send(Text("welcome"));
        connection.Send(Text("replay 4..5"), notifications: 2);
        connection.GoLive(Heads(user: 5, broadcast: 8));
        connection.SendNotification(Text("user-6 again"), User, 6, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("user-7"), User, 7, DateTimeOffset.UtcNow);

        Assert.Equal("welcome", await pair.ReceiveAsync());
        Assert.Equal("replay 4..5", await pair.ReceiveAsync());
        Assert.Equal(["user-6", "broadcast-9", "user-7"], await ItemsAsync(pair, 3));
    }

    [Fact]
    public async Task Live_notifications_queued_behind_a_write_leave_together_as_one_batch()
    {
        using var pair = new SocketPair(clientReadsEveryWrite: true);
        var connection = Connection(pair);
        connection.GoLive(Heads(0, 0));

        connection.SendNotification(Text("""{"type":"notification","seq":1}"""), User, 1, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("""{"type":"notification","seq":2}"""), User, 2, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("""{"type":"notification","seq":3}"""), Broadcast, 1, DateTimeOffset.UtcNow);
        connection.Send(Text("pong"));
        connection.SendNotification(Text("""{"type":"notification","seq":4}"""), User, 4, DateTimeOffset.UtcNow);

        // Whenever the writer starts, its first write waits for the client, so what queues behind it is batched;
        // a frame that is not a notification (the pong) is never folded into a batch, and order holds throughout.
        var frames = new List<string>();
        while (frames.Sum(frame => frame.StartsWith(BatchPrefix, StringComparison.Ordinal) ? frame.Split("},{").Length : 1) < 5)
        {
            frames.Add((await pair.ReceiveAsync())!);
        }

        Assert.Contains(frames, frame => frame.StartsWith(BatchPrefix, StringComparison.Ordinal));
        Assert.Equal(["""{"type":"notification","seq":1}""", """{"type":"notification","seq":2}""", """{"type":"notification","seq":3}""", "pong",
            """{"type":"notification","seq":4}"""], frames.SelectMany(Flatten));
    }

    [Fact]
    public async Task A_full_queue_closes_the_connection_as_a_slow_consumer()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair, capacity: 2);
        connection.GoLive(Heads(0, 0));

        // Nothing reads the client side, so the first write waits and the queue behind it fills.
        for (var seq = 1; seq <= 50; seq++)
        {
            connection.SendNotification(new byte[32 * 1024], User, seq, DateTimeOffset.UtcNow);
        }

        Assert.Equal(CloseStatuses.SlowConsumer, connection.CloseStatus);
        string? frame;
        do
        {
            frame = await pair.ReceiveAsync();
        }
        while (frame is not null);

        Assert.Equal(CloseStatuses.SlowConsumer, pair.Client.CloseStatus);
    }

    [Fact]
    public async Task Close_jumps_the_queue_and_nothing_is_sent_after_it()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);
        connection.GoLive(Heads(0, 0));

        var closed = connection.CloseAsync(CloseStatuses.ServiceRestart, "restart");
        connection.SendNotification(Text("too late"), User, 1, DateTimeOffset.UtcNow);

        Assert.Null(await pair.ReceiveAsync());
        await closed;
        Assert.Equal(CloseStatuses.ServiceRestart, pair.Client.CloseStatus);
        Assert.Equal("restart", pair.Client.CloseStatusDescription);
        Assert.Equal(WebSocketState.CloseReceived, pair.Client.State);
    }

    [Fact]
    public async Task A_topic_started_while_live_holds_its_notifications_until_its_head_and_only_later_ones_follow()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);
        connection.GoLive(Heads(0, 0));

        connection.SendNotification(Text("topic-3 before the subscribe"), Topic, 3, DateTimeOffset.UtcNow);
        Assert.True(connection.BeginStream(Topic));
        Assert.False(connection.BeginStream(Topic));
        connection.SendNotification(Text("topic-4"), Topic, 4, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("topic-5"), Topic, 5, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("user-1"), User, 1, DateTimeOffset.UtcNow);
        Assert.Null(connection.StreamEpoch(Topic));
        connection.Send(Text("replay 3..4"), notifications: 2);
        connection.Send(Text("subscribed 4"));
        connection.GoLive(Topic, new StreamHead("e3", 4));
        connection.SendNotification(Text("topic-6"), Topic, 6, DateTimeOffset.UtcNow);

        Assert.Equal("e3", connection.StreamEpoch(Topic));
        Assert.Equal(["user-1", "replay 3..4", "subscribed 4", "topic-5", "topic-6"], await ItemsAsync(pair, 5));
    }

    [Fact]
    public async Task Nothing_of_a_stream_is_sent_after_it_ended()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);
        connection.GoLive(Heads(0, 0));
        connection.BeginStream(Topic);
        connection.GoLive(Topic, new StreamHead("e3", 0));

        connection.SendNotification(Text("topic-1"), Topic, 1, DateTimeOffset.UtcNow);
        Assert.True(connection.EndStream(Topic));
        Assert.False(connection.EndStream(Topic));
        connection.Send(Text("unsubscribed"));
        connection.SendNotification(Text("topic-2"), Topic, 2, DateTimeOffset.UtcNow);
        connection.SendNotification(Text("broadcast-1"), Broadcast, 1, DateTimeOffset.UtcNow);

        Assert.Equal(["topic-1", "unsubscribed", "broadcast-1"], await ItemsAsync(pair, 3));
        Assert.Null(connection.StreamEpoch(Topic));
    }

    [Fact]
    public async Task A_topic_ended_while_starting_drops_what_waited_for_it()
    {
        using var pair = new SocketPair();
        var connection = Connection(pair);
        connection.GoLive(Heads(0, 0));
        connection.BeginStream(Topic);
        connection.SendNotification(Text("topic-1"), Topic, 1, DateTimeOffset.UtcNow);

        connection.EndStream(Topic);
        connection.Send(Text("error"));

        Assert.Equal(["error"], await ItemsAsync(pair, 1));
    }
}
