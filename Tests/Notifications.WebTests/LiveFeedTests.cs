using Notifications.Web.Feed;

namespace Notifications.WebTests;

public class LiveFeedTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Connections_are_numbered_from_one_and_never_reuse_a_number()
    {
        var feed = new LiveFeed();

        Assert.Equal(1, feed.Add());
        Assert.Equal(2, feed.Add());
        feed.Remove(2);
        Assert.Equal(3, feed.Add());
        Assert.Equal([1, 3], feed.Connections.Select(connection => connection.Number));
        Assert.Equal(ConnectionStates.Connecting, feed.Connections[0].Status.State);
    }

    [Fact]
    public void The_copies_several_connections_received_of_one_message_are_one_row_listing_the_connections()
    {
        var feed = new LiveFeed();
        feed.Add();
        feed.Add();

        feed.Receive(2, [Received("m1", 1)]);
        feed.Receive(1, [Received("m1", 1)]);

        var entry = Assert.Single(feed.Entries);
        Assert.Equal([1, 2], entry.ReceivedBy);
    }

    [Fact]
    public void Rows_are_newest_first_with_latency_from_the_publish_to_the_first_arrival()
    {
        var feed = new LiveFeed();
        feed.Add();

        feed.Receive(1, [Received("m1", 1, receivedAfterMs: 12), Received("m2", 2, receivedAfterMs: 30, replayed: true)]);

        Assert.Equal([2, 1], feed.Entries.Select(entry => entry.Seq));
        Assert.Equal(TimeSpan.FromMilliseconds(30), feed.Entries[0].Latency);
        Assert.True(feed.Entries[0].Replayed);
        Assert.False(feed.Entries[1].Replayed);
    }

    [Fact]
    public void The_feed_keeps_the_newest_rows_up_to_its_limit()
    {
        var feed = new LiveFeed();
        feed.Add();

        feed.Receive(1, Enumerable.Range(1, LiveFeed.MaxEntries + 5).Select(seq => Received($"m{seq}", seq)));

        Assert.Equal(LiveFeed.MaxEntries, feed.Entries.Count);
        Assert.Equal(LiveFeed.MaxEntries + 5, feed.Entries[0].Seq);
        Assert.Equal(6, feed.Entries[^1].Seq);
    }

    [Fact]
    public void A_status_for_a_removed_connection_is_ignored()
    {
        var feed = new LiveFeed();
        feed.Add();
        feed.Remove(1);

        feed.Update(1, ConnectionStatus.Connecting with { State = ConnectionStates.Open });

        Assert.Empty(feed.Connections);
    }

    internal static ReceivedNotification Received(string id, long seq, int receivedAfterMs = 5, bool replayed = false, string stream = "user:alice") =>
        new(id, stream, seq, SentAt, $$"""{"n":{{seq}}}""", SentAt.AddMilliseconds(receivedAfterMs).ToUnixTimeMilliseconds(), replayed);
}
