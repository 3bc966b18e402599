using Notifications.Client;

namespace Notifications.UnitTests;

public class ClientTopicsTests
{
    private static WelcomeFrame Welcome(string epoch, params (string Stream, long Seq)[] positions) =>
        new("c1", "alice", "n1", 30, epoch, positions.ToDictionary(p => p.Stream, p => p.Seq));

    [Fact]
    public void The_first_connect_asks_for_the_topics_and_resumes_nothing()
    {
        var state = new ResumeState(topics: ["team-42", "order-7"]);

        Assert.Equal("topics=team-42%2Corder-7", state.ConnectQuery(out var resuming));
        Assert.False(resuming);
    }

    [Fact]
    public void A_reconnect_resumes_every_stream_with_the_epochs_in_the_order_of_its_query()
    {
        var state = new ResumeState(topics: ["a"]);
        state.OnWelcome(Welcome("eu.eb.ea", ("user:alice", 1), ("broadcast", 2), ("topic:a", 3)), resuming: false);
        Assert.True(state.AddTopic("b"));
        state.OnSubscribed(new SubscribedFrame("b", "topic:b", "e-b", 10, null, null, null));
        Assert.True(state.TryAdvance("topic:b", 11));
        Assert.False(state.TryAdvance("topic:b", 11));
        Assert.True(state.TryAdvance("topic:a", 4));

        var query = Uri.UnescapeDataString(state.ConnectQuery(out var resuming));

        Assert.True(resuming);
        Assert.Equal("topics=a,b&epoch=eu.eb.ea.e-b&since=user:alice:1,broadcast:2,topic:a:4,topic:b:11", query);
        Assert.Equal(["a", "b"], state.ResumePoint!.Topics);
    }

    [Fact]
    public void A_topic_left_is_neither_delivered_nor_resumed()
    {
        var state = new ResumeState(topics: ["a"]);
        state.OnWelcome(Welcome("eu.eb.ea", ("user:alice", 0), ("broadcast", 0), ("topic:a", 5)), resuming: false);

        Assert.True(state.RemoveTopic("a"));
        Assert.False(state.TryAdvance("topic:a", 6));
        Assert.Equal("epoch=eu.eb&since=user%3Aalice%3A0%2Cbroadcast%3A0", state.ConnectQuery(out _));
        Assert.Null(state.CatchUpPoint("a"));
    }

    [Fact]
    public void A_caught_up_subscribe_keeps_the_position_its_replay_reached_and_a_lost_one_restarts_at_the_head()
    {
        var state = new ResumeState(new ResumePoint("eu.eb.ea", new Dictionary<string, long> { ["user:alice"] = 1, ["broadcast"] = 1, ["topic:a"] = 3 }, ["a"]));
        Assert.Equal("eu.eb.ea", state.Epoch);
        state.OnWelcome(Welcome("eu.eb.ea", ("user:alice", 1), ("broadcast", 1), ("topic:a", 7)), resuming: true);
        Assert.Equal((3L, "ea"), state.CatchUpPoint("a"));

        Assert.True(state.TryAdvance("topic:a", 4));
        state.OnSubscribed(new SubscribedFrame("a", "topic:a", "ea", 4, true, 1, null));
        Assert.Equal(4, state.Positions["topic:a"]);

        state.OnSubscribed(new SubscribedFrame("a", "topic:a", "ea2", 9, false, 0, ResumeReasons.EpochChanged));
        Assert.Equal(9, state.Positions["topic:a"]);
        Assert.Equal("eu.eb.ea2", state.Epoch);
    }
}
