using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>Topics across the replicas of the real AppHost (docs/protocol.md, "Topics"); run once per backplane.</summary>
public abstract class TopicsTests<TFixture>(TFixture fixture)
    where TFixture : AppHostFixture
{
    private const string ChannelPrefix = "aspirenotify:";

    protected NotificationsApi Api => fixture.Api;

    [Fact]
    public async Task A_topic_message_reaches_its_subscribers_on_other_replicas_and_nobody_else()
    {
        var topic = NewName("team");
        var publisher = await Api.TokenAsync(NewName("publisher"), TokenClaims.PublisherRole);
        var reader = NewName("reader");
        var readerToken = await Api.TopicTokenAsync(reader, ["team-*"]);
        var outsiderToken = await Api.TopicTokenAsync(NewName("outsider"), ["team-*"]);
        await using var sockets = new SocketSet();

        // One subscriber from the query, one by a subscribe frame, and a connection that reads no topic, each on its own replica.
        await using var atConnect = await NotificationSocket.ConnectAsync(Api.BaseAddress, readerToken, resumeQuery: $"topics={topic}");
        Assert.Equal(0, atConnect.Welcome.GetProperty("positions").GetProperty($"topic:{topic}").GetInt64());
        Assert.Equal(3, atConnect.Welcome.GetProperty("epoch").GetString()!.Split('.').Length);
        var byFrame = (await sockets.ConnectUntilAsync(Api, readerToken, _ => true, keep: s => s.Node != atConnect.Node)).Single();
        var outsider = (await sockets.ConnectUntilAsync(Api, outsiderToken, _ => true,
            keep: s => s.Node != atConnect.Node && s.Node != byFrame.Node)).Single();
        var subscribed = await SubscribeAsync(byFrame, topic);
        Assert.Equal($"topic:{topic}", subscribed.GetProperty("stream").GetString());
        Assert.Equal(0, subscribed.GetProperty("position").GetInt64());
        Assert.Equal(2, await fixture.SubscribersAsync($"{ChannelPrefix}topic:{topic}"));

        using var viaOutsiderNode = await Api.PinnedToAsync(outsider.Node);
        var id = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToTopicAsync(viaOutsiderNode, publisher, topic, new { data = new { text = "to the team" } }), $"topic:{topic}");
        var marker = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.BroadcastAsync(viaOutsiderNode, publisher, new { data = "marker" }), "broadcast");

        foreach (var socket in new[] { atConnect, byFrame })
        {
            var notification = await socket.NextNotificationAsync();
            Assert.Equal(id, notification.GetProperty("id").GetString());
            Assert.Equal("to the team", notification.GetProperty("data").GetProperty("text").GetString());
            Assert.Equal(marker, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
        }

        Assert.Equal(marker, (await outsider.NextNotificationAsync()).GetProperty("id").GetString());

        // After its unsubscribed frame, a connection gets nothing more of the topic, and its replica leaves the channel.
        await byFrame.SendTextAsync($$"""{"type":"unsubscribe","topic":"{{topic}}"}""");
        Assert.Equal("unsubscribed", (await NextNonPongAsync(byFrame)).GetProperty("type").GetString());
        await Eventually.UntilAsync("the replica to leave the topic's channel",
            async _ => await fixture.SubscribersAsync($"{ChannelPrefix}topic:{topic}") == 1);
        var second = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToTopicAsync(viaOutsiderNode, publisher, topic, new { data = 2 }), $"topic:{topic}");
        var secondMarker = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.BroadcastAsync(viaOutsiderNode, publisher, new { data = "marker 2" }), "broadcast");
        Assert.Equal(second, (await atConnect.NextNotificationAsync()).GetProperty("id").GetString());
        Assert.Equal(secondMarker, (await byFrame.NextNotificationAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_topic_the_token_does_not_allow_is_refused_at_connect_and_answered_with_an_error_frame_at_runtime()
    {
        var token = await Api.TopicTokenAsync(NewName("limited"), ["team-*"]);
        var uri = (string query) => new Uri(NotificationSocket.WebSocketUri(Api.BaseAddress, token) + "&" + query);

        Assert.Equal(403, await NotificationSocket.RefusedStatusAsync(uri("topics=secret")));
        Assert.Equal(400, await NotificationSocket.RefusedStatusAsync(uri("topics=has%20space")));
        Assert.Equal(400, await NotificationSocket.RefusedStatusAsync(uri("topics=team-1,team-1")));
        Assert.Equal(400, await NotificationSocket.RefusedStatusAsync(uri("topics=" + string.Join(',', Enumerable.Range(0, 21).Select(i => $"team-{i}")))));
        Assert.Equal(400, await NotificationSocket.RefusedStatusAsync(uri("topics=team-1&since=topic:team-2:0")));

        await using var socket = await NotificationSocket.ConnectAsync(Api.BaseAddress, token, resumeQuery: "topics=team-1");
        await AssertErrorAsync(socket, """{"type":"subscribe","topic":"secret"}""", ErrorCodes.TopicForbidden, "secret");
        await AssertErrorAsync(socket, """{"type":"subscribe","topic":"has space"}""", ErrorCodes.InvalidTopic, null);
        await AssertErrorAsync(socket, """{"type":"subscribe","topic":"team-1"}""", ErrorCodes.AlreadySubscribed, "team-1");
        await AssertErrorAsync(socket, """{"type":"unsubscribe","topic":"team-2"}""", ErrorCodes.NotSubscribed, "team-2");
        await AssertErrorAsync(socket, """{"type":"subscribe","topic":"team-2","since":-1}""", ErrorCodes.InvalidTopic, "team-2");

        // The connection is still open and answers.
        await socket.SendTextAsync("""{"type":"ping","t":7}""");
        Assert.Equal("pong", (await socket.NextAsync()).GetProperty("type").GetString());
        Assert.Null(socket.CloseStatus);
    }

    [Fact]
    public async Task A_subscribe_with_since_replays_what_was_missed_then_goes_live_without_gap_or_duplicate()
    {
        var topic = NewName("doc");
        var publisher = await Api.TokenAsync(NewName("publisher"), TokenClaims.PublisherRole);
        await using var socket = await NotificationSocket.ConnectAsync(Api.BaseAddress, await Api.TopicTokenAsync(NewName("u"), ["*"]), keepBatches: true);
        using var http = Api.NewClient();
        await PublishAsync(http, publisher, topic, 1);

        var first = await SubscribeAsync(socket, topic);
        var (epoch, position) = (first.GetProperty("epoch").GetString(), first.GetProperty("position").GetInt64());
        await socket.SendTextAsync($$"""{"type":"unsubscribe","topic":"{{topic}}"}""");
        Assert.Equal("unsubscribed", (await NextNonPongAsync(socket)).GetProperty("type").GetString());
        await PublishAsync(http, publisher, topic, 2);
        await PublishAsync(http, publisher, topic, 3);

        await socket.SendTextAsync($$"""{"type":"subscribe","topic":"{{topic}}","since":{{position}},"epoch":"{{epoch}}"}""");
        var replay = await NextNonPongAsync(socket);
        Assert.True(replay.GetProperty("replay").GetBoolean());
        Assert.Equal([position + 1, position + 2], replay.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("seq").GetInt64()));
        var caughtUp = await NextNonPongAsync(socket);
        Assert.Equal(("subscribed", true, 2), (caughtUp.GetProperty("type").GetString(), caughtUp.GetProperty("recovered").GetBoolean(),
            caughtUp.GetProperty("missed").GetInt32()));
        Assert.Equal(position + 2, caughtUp.GetProperty("position").GetInt64());

        await PublishAsync(http, publisher, topic, 4);
        Assert.Equal(position + 3, (await NextNonPongAsync(socket)).GetProperty("seq").GetInt64());

        await socket.SendTextAsync($$"""{"type":"unsubscribe","topic":"{{topic}}"}""");
        Assert.Equal("unsubscribed", (await NextNonPongAsync(socket)).GetProperty("type").GetString());
        await socket.SendTextAsync($$"""{"type":"subscribe","topic":"{{topic}}","since":1,"epoch":"another"}""");
        var lost = await NextNonPongAsync(socket);
        Assert.Equal((false, ResumeReasons.EpochChanged), (lost.GetProperty("recovered").GetBoolean(), lost.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Topics_are_published_alone_and_in_batches_within_the_publishers_scope()
    {
        var topic = NewName("order");
        var anyTopic = await Api.TokenAsync(NewName("publisher"), TokenClaims.PublisherRole);
        var scoped = await Api.TopicTokenAsync(NewName("scoped"), [], ["order-*"], TokenClaims.PublisherRole);
        var notPublisher = await Api.TopicTokenAsync(NewName("reader"), ["*"]);
        await using var socket = await NotificationSocket.ConnectAsync(Api.BaseAddress, await Api.TopicTokenAsync(NewName("u"), ["order-*"]),
            resumeQuery: $"topics={topic}");
        using var http = Api.NewClient();

        await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToTopicAsync(http, scoped, topic, new { data = 1 }), $"topic:{topic}");
        Assert.Equal(HttpStatusCode.Forbidden, (await NotificationsApi.PublishToTopicAsync(http, scoped, "news", new { data = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await NotificationsApi.PublishToTopicAsync(http, notPublisher, topic, new { data = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await NotificationsApi.PublishToTopicAsync(http, anyTopic, "a:b", new { data = 1 })).StatusCode);

        using var batch = await NotificationsApi.PublishBatchAsync(http, scoped, new
        {
            messages = new object[]
            {
                new { topic, data = 2 },
                new { topic = "news", data = 3 },
                new { topic = "bad name", data = 4 },
                new { topic, data = 5 },
            },
        });
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var results = (await batch.Content.ReadFromJsonAsync<PublishBatchResponse>())!.Results;
        Assert.Equal([null, BatchErrorCodes.TopicForbidden, BatchErrorCodes.InvalidTopic, null], results.Select(result => result.Error?.Code));
        Assert.Equal([2L, 3L], new[] { results[0].Seq!.Value, results[3].Seq!.Value });

        Assert.Equal([1, 2, 5], await DataOfAsync(socket, 3));
    }

    [Fact]
    public async Task Presence_counts_converge_after_connects_and_disconnects_and_joins_and_leaves_are_published_on_request()
    {
        var topic = NewName("room");
        var publisher = await Api.TokenAsync(NewName("publisher"), TokenClaims.PublisherRole);
        using var http = Api.NewClient();
        var (alice, bob) = (NewName("alice"), NewName("bob"));
        var aliceToken = await Api.TopicTokenAsync(alice, ["room-*"]);
        var bobToken = await Api.TopicTokenAsync(bob, ["room-*"]);
        await using var sockets = new SocketSet();

        await using var watcher = await NotificationSocket.ConnectAsync(Api.BaseAddress, aliceToken, resumeQuery: $"topics={topic}");
        using (var enable = new HttpRequestMessage(HttpMethod.Put, Routes.TopicPresenceEvents(topic)) { Content = JsonContent.Create(new { enabled = true }) })
        {
            enable.Headers.Authorization = new AuthenticationHeaderValue("Bearer", publisher);
            Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(enable)).StatusCode);
        }

        var aliceAgain = await sockets.ConnectAsync(Api, aliceToken);
        await SubscribeAsync(aliceAgain, topic);
        var bobSocket = await sockets.ConnectAsync(Api, bobToken);
        await SubscribeAsync(bobSocket, topic);

        // Each join is published by the replica that took the subscribe, so the two may come in either order.
        var joins = new[] { await watcher.NextNotificationAsync(), await watcher.NextNotificationAsync() }.Select(join => join.GetProperty("data")).ToList();
        Assert.All(joins, join => Assert.Equal("join", join.GetProperty("presence").GetString()));
        Assert.Equal([alice, bob], joins.Select(join => join.GetProperty("userId").GetString()!).Order(StringComparer.Ordinal));
        await PresenceAsync(http, publisher, topic, connections: 3, users: 2);

        await bobSocket.SendTextAsync($$"""{"type":"unsubscribe","topic":"{{topic}}"}""");
        var left = await watcher.NextNotificationAsync();
        Assert.Equal(("leave", bob), (left.GetProperty("data").GetProperty("presence").GetString(), left.GetProperty("data").GetProperty("userId").GetString()));
        await PresenceAsync(http, aliceToken, topic, connections: 2, users: 1);

        await aliceAgain.DisposeAsync();
        await PresenceAsync(http, aliceToken, topic, connections: 1, users: 1);

        using var forbidden = new HttpRequestMessage(HttpMethod.Get, Routes.TopicPresence("secret"));
        forbidden.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bobToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forbidden)).StatusCode);
    }

    /// <summary>
    /// Clients (Notifications.Client) subscribe to topics at runtime, spread over the replicas; one replica is killed
    /// mid-stream; every client reconnects with its topics and positions and has every acknowledged message of its
    /// topic exactly once, in order. Then the killed replica's presence reports run out.
    /// </summary>
    [Fact]
    public async Task A_replica_killed_mid_stream_loses_no_acknowledged_topic_message_and_its_presence_runs_out()
    {
        string[] topics = [NewName("fault-a"), NewName("fault-b")];
        var publisher = new SteadyPublisher(Api.BaseAddress, await Api.TokenAsync(NewName("publisher"), TokenClaims.PublisherRole), Routes.PublishToTopic);
        var probes = new List<(ClientProbe Probe, string Topic)>();
        for (var i = 0; probes.Count < 6 || probes.Select(p => p.Probe.Node).Distinct().Count() < AppHostFixture.ReplicaCount; i++)
        {
            Assert.True(i < 40, "The clients never covered every replica.");
            var user = NewName($"member{i}");
            var probe = await ClientProbe.StartAsync(Api, user, token: () => Api.TopicTokenAsync(user, ["fault-*"]));
            await probe.Client.SubscribeAsync(topics[i % 2]);
            probes.Add((probe, topics[i % 2]));
        }

        var victim = probes.GroupBy(p => p.Probe.Node).OrderByDescending(g => g.Count()).First().Key;
        try
        {
            var publishing = publisher.PublishAsync(topics, 120, TimeSpan.FromMilliseconds(20));
            await publisher.WhenAcknowledged(40);
            fixture.Replicas.Kill(victim);
            await publishing;

            foreach (var (probe, topic) in probes)
            {
                var expected = publisher.Acknowledged.Where(a => a.UserId == topic).OrderBy(a => a.Seq).ToList();
                await probe.WaitUntilAsync($"all {expected.Count} of {topic}", p => p.OfStream($"topic:{topic}").Count >= expected.Count);
                Assert.Equal(expected.Select(a => a.Id), probe.OfStream($"topic:{topic}").Select(n => n.Id));
                Assert.NotEqual(victim, probe.Node);
            }

            using var http = Api.NewClient();
            var token = await Api.TokenAsync(NewName("publisher"), TokenClaims.PublisherRole);
            var presence = await PresenceAsync(http, token, topics[0], connections: probes.Count(p => p.Topic == topics[0]), users: probes.Count(p => p.Topic == topics[0]));
            Assert.DoesNotContain(victim, presence.Nodes.Select(node => node.Node));
        }
        finally
        {
            foreach (var (probe, _) in probes)
            {
                await probe.DisposeAsync();
            }

            await fixture.Replicas.StartAsync(victim);
        }
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task<JsonElement> SubscribeAsync(NotificationSocket socket, string topic)
    {
        await socket.SendTextAsync($$"""{"type":"subscribe","topic":"{{topic}}"}""");
        var answer = await NextNonPongAsync(socket);
        Assert.Equal("subscribed", answer.GetProperty("type").GetString());
        Assert.Equal(topic, answer.GetProperty("topic").GetString());
        return answer;
    }

    private static async Task AssertErrorAsync(NotificationSocket socket, string frame, string code, string? topic)
    {
        await socket.SendTextAsync(frame);
        var error = await NextNonPongAsync(socket);
        Assert.Equal("error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(topic, error.TryGetProperty("topic", out var named) ? named.GetString() : null);
    }

    private static async Task<JsonElement> NextNonPongAsync(NotificationSocket socket)
    {
        while (true)
        {
            var frame = await socket.NextAsync();
            if (frame.GetProperty("type").GetString() != "pong")
            {
                return frame;
            }
        }
    }

    private static async Task PublishAsync(HttpClient http, string token, string topic, int data) =>
        await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToTopicAsync(http, token, topic, new { data }), $"topic:{topic}");

    private static async Task<List<int>> DataOfAsync(NotificationSocket socket, int count)
    {
        var data = new List<int>();
        while (data.Count < count)
        {
            data.Add((await socket.NextNotificationAsync()).GetProperty("data").GetInt32());
        }

        return data;
    }

    /// <summary>Waits until the presence the API answers has these counts (the replicas report every Cluster:ReportInterval).</summary>
    private static async Task<TopicPresence> PresenceAsync(HttpClient http, string token, string topic, int connections, int users)
    {
        TopicPresence? presence = null;
        await Eventually.UntilAsync($"presence of {topic} to be {connections} connections of {users} users", async cancellationToken =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Routes.TopicPresence(topic));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
            presence = await response.Content.ReadFromJsonAsync<TopicPresence>(cancellationToken);
            return presence!.Connections == connections && presence.Users == users;
        });
        return presence!;
    }
}

[Collection(GarnetAppHost.Name)]
public sealed class GarnetTopicsTests(GarnetAppHostFixture fixture) : TopicsTests<GarnetAppHostFixture>(fixture);

[Collection(RedisServerAppHost.Name)]
public sealed class RedisServerTopicsTests(RedisServerAppHostFixture fixture) : TopicsTests<RedisServerAppHostFixture>(fixture);

[Collection(ClusterAppHost.Name)]
public sealed class ClusterTopicsTests(ClusterAppHostFixture fixture) : TopicsTests<ClusterAppHostFixture>(fixture);
