using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using Notifications.Api.Limits;
using Notifications.Api.Publishing;
using Notifications.Api.Topics;
using StackExchange.Redis;

namespace Notifications.UnitTests;

public class TopicRulesTests
{
    private static TopicPolicy Policy(int maxTopics = 3, int maxLength = 10) =>
        new(Options.Create(new LimitsOptions { MaxTopicsPerConnection = maxTopics, MaxTopicNameLength = maxLength }));

    private static NotificationConnection NewConnection(string userId) =>
        new(Guid.NewGuid().ToString("N"), userId, DateTimeOffset.MaxValue,
            new WebSocketTransport(WebSocket.CreateFromStream(Stream.Null, new WebSocketCreationOptions { IsServer = true })),
            queueCapacity: 4, closeTimeout: TimeSpan.FromSeconds(1), TestMetrics.Create().Metrics);

    [Theory]
    [InlineData("team-42", true)]
    [InlineData("a.b_c@d-E9", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("a:b", false)]
    [InlineData("a*", false)]
    [InlineData("a,b", false)]
    [InlineData("team\n", false)]
    public void Topic_names_use_the_user_id_alphabet(string? topic, bool valid) => Assert.Equal(valid, TopicNames.IsValid(topic));

    [Fact]
    public void Topic_names_may_be_128_characters_but_not_129()
    {
        Assert.True(TopicNames.IsValid(new string('t', TopicNames.MaxLength)));
        Assert.False(TopicNames.IsValid(new string('t', TopicNames.MaxLength + 1)));
    }

    [Theory]
    [InlineData("team-42", "team-42", true)]
    [InlineData("team-42", "team-420", false)]
    [InlineData("order-*", "order-17", true)]
    [InlineData("order-*", "order-", true)]
    [InlineData("order-*", "orders", false)]
    [InlineData("*", "anything", true)]
    [InlineData("*-admins", "team-7-admins", true)]
    [InlineData("team-*-admins", "team-7-admins", true)]
    [InlineData("team-*-admins", "team-7-users", false)]
    [InlineData("a*b*c", "aXbYbZc", true)]
    [InlineData("a*b*c", "aXbYbZ", false)]
    [InlineData("Team", "team", false)]
    public void Patterns_match_whole_names_with_star_as_any_run(string pattern, string topic, bool matches) =>
        Assert.Equal(matches, TopicPatterns.Matches(pattern, topic));

    [Fact]
    public void A_pathological_pattern_is_answered_quickly()
    {
        var pattern = string.Concat(Enumerable.Repeat("*a", 60)) + "b";
        Assert.False(TopicPatterns.Matches(pattern, new string('a', 128)));
    }

    [Fact]
    public void Streams_of_topics_are_named_and_read_back()
    {
        Assert.Equal("topic:team-42", Streams.ForTopic("team-42"));
        Assert.True(Streams.TryGetTopic("topic:team-42", out var topic));
        Assert.Equal("team-42", topic);
        Assert.False(Streams.TryGetTopic("user:alice", out _));
    }

    [Theory]
    [InlineData(null, new string[0], null)]
    [InlineData("a,b", new[] { "a", "b" }, null)]
    [InlineData("a,,b", new string[0], ErrorCodes.InvalidTopic)]
    [InlineData("a,a", new string[0], ErrorCodes.InvalidTopic)]
    [InlineData("a b", new string[0], ErrorCodes.InvalidTopic)]
    [InlineData("abcdefghijk", new string[0], ErrorCodes.InvalidTopic)]
    [InlineData("a,b,c,d", new string[0], ErrorCodes.TooManyTopics)]
    [InlineData("a,secret", new string[0], ErrorCodes.TopicForbidden)]
    public void The_topics_query_is_checked_in_order_name_count_claim(string? query, string[] expected, string? code)
    {
        var (topics, problem) = Policy().ParseQuery(query, ["a", "b", "c", "d"]);

        Assert.Equal(code, problem?.Code);
        Assert.Equal(expected, problem is null ? topics : []);
    }

    [Fact]
    public void Without_a_topics_claim_no_topic_is_allowed()
    {
        Assert.Equal(ErrorCodes.TopicForbidden, TopicPolicy.CheckAllowed("news", [])!.Code);
        Assert.Null(TopicPolicy.CheckAllowed("news", ["*"]));
    }

    [Fact]
    public void Topic_claims_are_read_from_arrays_and_single_values()
    {
        Claim[] claims = [new("topics", "a"), new("sub", "alice"), new("topics", "order-*")];

        Assert.Equal(["a", "order-*"], TopicClaims.Read(claims, TokenClaims.Topics));
        Assert.Empty(TopicClaims.Read(claims, TokenClaims.PublishTopics));
    }

    [Fact]
    public void A_publisher_without_publish_topics_may_publish_anywhere_and_one_with_them_only_where_they_match()
    {
        var grant = new PublishGrant(Policy());
        var anyTopic = new ClaimsPrincipal(new ClaimsIdentity([new Claim("role", "publisher")], "test"));
        var scoped = new ClaimsPrincipal(new ClaimsIdentity([new Claim("role", "publisher"), new Claim("publish_topics", "order-*")], "test"));

        Assert.Null(grant.Check(anyTopic, "news"));
        Assert.Null(grant.Check(scoped, "order-7"));
        Assert.Equal(ErrorCodes.TopicForbidden, grant.Check(scoped, "news")!.Code);
        Assert.Equal(ErrorCodes.InvalidTopic, grant.Check(anyTopic, "far-too-long-name")!.Code);
    }

    [Theory]
    [InlineData("""{"type":"subscribe","topic":"a"}""", ClientMessageKind.Subscribe, "a", null, null, null)]
    [InlineData("""{"type":"subscribe","topic":"a","since":17,"epoch":"e1"}""", ClientMessageKind.Subscribe, "a", 17L, "e1", null)]
    [InlineData("""{"type":"unsubscribe","topic":"a"}""", ClientMessageKind.Unsubscribe, "a", null, null, null)]
    [InlineData("""{"type":"subscribe","topic":5}""", ClientMessageKind.Subscribe, null, null, null, null)]
    [InlineData("""{"type":"subscribe","topic":"a","since":-1}""", ClientMessageKind.Subscribe, "a", null, null, "\"since\" must be a non-negative integer.")]
    [InlineData("""{"type":"subscribe","topic":"a","since":1.5}""", ClientMessageKind.Subscribe, "a", null, null, "\"since\" must be a non-negative integer.")]
    [InlineData("""{"type":"subscribe","topic":"a","epoch":3}""", ClientMessageKind.Subscribe, "a", null, null, "\"epoch\" must be a string.")]
    public void Subscribe_frames_are_read_into_requests(string frame, ClientMessageKind kind, string? topic, long? since, string? epoch, string? problem)
    {
        var message = ClientMessage.Parse(Encoding.UTF8.GetBytes(frame));

        Assert.Equal(kind, message.Kind);
        Assert.Equal(new TopicRequest(topic, since, epoch, problem), message.Topic);
    }

    [Fact]
    public void A_malformed_subscribe_frame_is_invalid_json_like_any_other()
    {
        Assert.Equal(ClientMessageKind.Invalid, ClientMessage.Parse(Encoding.UTF8.GetBytes("""{"type":"subscribe","topic":"a",}""")).Kind);
    }

    [Fact]
    public void Topic_frames_are_written_as_the_contract_reads_them()
    {
        var subscribed = Assert.IsType<SubscribedFrame>(ServerFrames.Read(Frames.Subscribed("a", "topic:a", new StreamHead("e1", 42), null)));
        Assert.Equal(new SubscribedFrame("a", "topic:a", "e1", 42, null, null, null), subscribed);

        var caughtUp = Assert.IsType<SubscribedFrame>(ServerFrames.Read(
            Frames.Subscribed("a", "topic:a", new StreamHead("e1", 42), new StreamReplayed(0, ResumeReasons.HistoryTrimmed))));
        Assert.Equal(new SubscribedFrame("a", "topic:a", "e1", 42, false, 0, ResumeReasons.HistoryTrimmed), caughtUp);

        var recovered = Assert.IsType<SubscribedFrame>(ServerFrames.Read(
            Frames.Subscribed("a", "topic:a", new StreamHead("e1", 42), new StreamReplayed(3, null))));
        Assert.Equal((true, 3, (string?)null), (recovered.Recovered!.Value, recovered.Missed!.Value, recovered.Reason));

        Assert.Equal(new UnsubscribedFrame("a"), ServerFrames.Read(Frames.Unsubscribed("a")));
        Assert.Equal(new ErrorFrame(ErrorCodes.RateLimited, null, "slow down"), ServerFrames.Read(Frames.Error(ErrorCodes.RateLimited, null, "slow down")));
        Assert.Equal("""{"type":"error","code":"not_subscribed","topic":"a","detail":"no"}""",
            Encoding.UTF8.GetString(Frames.Error(ErrorCodes.NotSubscribed, "a", "no")));
    }

    [Fact]
    public void The_registry_indexes_connections_by_topic_and_forgets_a_topic_with_its_last_subscriber()
    {
        var registry = new ConnectionRegistry();
        var alice = NewConnection("alice");
        var bob = NewConnection("bob");

        registry.Subscribe("topic:a", alice);
        registry.Subscribe("topic:a", bob);
        registry.Subscribe("topic:b", bob);

        Assert.Equal([alice, bob], registry.SubscribersOf("topic:a"));
        Assert.Equal(2, registry.TopicCount);
        Assert.True(registry.Unsubscribe("topic:a", alice));
        Assert.False(registry.Unsubscribe("topic:a", alice));
        Assert.True(registry.Unsubscribe("topic:b", bob));
        Assert.Empty(registry.SubscribersOf("topic:b"));
        Assert.Equal(["topic:a"], registry.Topics().Select(topic => topic.Key));
    }

    [Fact]
    public void Presence_counts_distinct_users_of_a_replica()
    {
        var registry = new ConnectionRegistry();
        registry.Subscribe("topic:a", NewConnection("alice"));
        registry.Subscribe("topic:a", NewConnection("alice"));
        registry.Subscribe("topic:a", NewConnection("bob"));
        var now = DateTimeOffset.UtcNow;

        var report = Assert.Single(TopicPresenceReporter.Snapshot(registry, "node-1", now));

        Assert.Equal("a", report.Key);
        Assert.Equal(3, report.Value.Connections);
        Assert.Equal(["alice", "bob"], report.Value.Users.Order());
    }

    [Fact]
    public void Presence_across_replicas_counts_each_user_once_and_skips_stale_reports()
    {
        var now = DateTimeOffset.UtcNow;
        HashEntry[] entries =
        [
            Entry(new TopicPresenceReport("n1", 2, ["alice", "bob"], now.AddSeconds(-1))),
            Entry(new TopicPresenceReport("n2", 3, ["bob", "carol"], now.AddSeconds(-2))),
            Entry(new TopicPresenceReport("n3", 9, ["dave"], now.AddSeconds(-10))),
            new HashEntry("n4", "not json"),
        ];

        var (current, stale) = TopicPresenceDirectory.Partition(entries, now, TimeSpan.FromSeconds(6));
        var presence = TopicPresenceDirectory.Summarize("a", current, "n1", now);

        Assert.Equal(["n3", "n4"], stale.Select(name => name.ToString()));
        Assert.Equal((5, 3), (presence.Connections, presence.Users));
        Assert.Equal(["n1", "n2"], presence.Nodes.Select(node => node.Node));
        Assert.Equal(now.AddSeconds(-2), presence.AsOf);
    }

    [Fact]
    public void Batch_messages_may_target_a_topic_and_the_callers_rules_decide()
    {
        var data = JsonSerializer.SerializeToElement(1);
        var plan = BatchPlan.Create([BatchMessage.ToTopic("a", data), BatchMessage.ToTopic("secret", data), BatchMessage.ToUser("alice", data)], 64,
            topic => topic == "secret" ? new BatchItemError(BatchErrorCodes.TopicForbidden, "no") : null);

        Assert.Equal(["topic:a", "user:alice"], plan.Groups.Select(group => group.Stream));
        Assert.Equal("topic", plan.Groups[0].StreamKind);
        Assert.Equal(BatchErrorCodes.TopicForbidden, plan.Results[1]!.Error!.Code);
        Assert.Equal("topic:secret", plan.Results[1]!.Stream);
    }

    [Fact]
    public void Presence_events_carry_the_user_and_the_connection()
    {
        Assert.Equal("""{"presence":"join","userId":"alice","connectionId":"c1"}""", PresenceEvents.Data(PresenceEvents.Join, "alice", "c1").GetRawText());
    }

    [Fact]
    public void Positions_move_per_stream_and_a_starting_stream_waits()
    {
        var positions = new ConnectionPositions();
        positions.Start("user:alice", 5, "e1");

        Assert.Equal(LiveAdmission.Drop, positions.Admit("user:alice", 5));
        Assert.Equal(LiveAdmission.Send, positions.Admit("user:alice", 6));
        Assert.Equal(LiveAdmission.Drop, positions.Admit("topic:a", 1));
        Assert.True(positions.BeginStarting("topic:a"));
        Assert.Equal(LiveAdmission.Wait, positions.Admit("topic:a", 1));
        positions.Start("topic:a", 3, "e2");
        Assert.Equal(LiveAdmission.Drop, positions.Admit("topic:a", 3));
        Assert.Equal(LiveAdmission.Send, positions.Admit("topic:a", 4));
        Assert.Equal("e2", positions.EpochOf("topic:a"));
        Assert.True(positions.Remove("topic:a"));
        Assert.Equal(LiveAdmission.Drop, positions.Admit("topic:a", 9));
        Assert.Equal(1, positions.Count);
    }

    [Fact]
    public void Finding_a_topics_subscribers_and_judging_a_live_notification_allocate_nothing()
    {
        var registry = new ConnectionRegistry();
        registry.Subscribe("topic:a", NewConnection("alice"));
        var positions = new ConnectionPositions();
        positions.Start("user:alice", 0, "e1");
        positions.Start("broadcast", 0, "e2");
        positions.Start("topic:a", 0, "e3");
        var stream = string.Concat("topic:", "a");
        Assert.Single(registry.SubscribersOf(stream));
        Assert.Equal(LiveAdmission.Send, positions.Admit(stream, 1));

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var seq = 2; seq < 10_000; seq++)
        {
            _ = registry.SubscribersOf(stream);
            _ = positions.Admit(stream, seq);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static HashEntry Entry(TopicPresenceReport report) =>
        new(report.Node, JsonSerializer.Serialize(report, JsonSerializerOptions.Web));
}
