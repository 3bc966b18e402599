using System.Net;
using System.Text.Json;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>Delivery across the replicas of the real AppHost; run once per backplane (see the derived classes).</summary>
public abstract class CrossReplicaDeliveryTests<TFixture>(TFixture fixture)
    where TFixture : AppHostFixture
{
    private const string ChannelPrefix = "aspirenotify:";
    private const int MaxConnectAttempts = 40;

    protected NotificationsApi Api => fixture.Api;

    [Fact]
    public async Task A_user_message_reaches_each_connection_of_that_user_on_every_replica_once_and_nobody_else()
    {
        var u = NewUserId("u");
        var v = NewUserId("v");
        var publisherToken = await Api.TokenAsync(NewUserId("publisher"), "publisher");
        var uToken = await Api.TokenAsync(u);
        var vToken = await Api.TokenAsync(v);
        await using var sockets = new SocketSet();

        // The proxy picks a replica per TCP connection: connect until U is on two nodes and V on a third.
        var uSockets = await sockets.ConnectUntilAsync(Api, uToken, connected => connected.Select(s => s.Node).Distinct().Count() == 2);
        var uNodes = uSockets.Select(s => s.Node).ToHashSet();
        var vSocket = (await sockets.ConnectUntilAsync(Api, vToken, connected => !uNodes.Contains(connected[^1].Node), keep: s => !uNodes.Contains(s.Node))).Single();
        Assert.All(uSockets, s => Assert.Equal(u, s.Welcome.GetProperty("userId").GetString()));

        // Only the replicas holding a user are subscribed to that user's channel.
        Assert.Equal(2, await fixture.SubscribersAsync($"{ChannelPrefix}user:{u}"));
        Assert.Equal(1, await fixture.SubscribersAsync($"{ChannelPrefix}user:{v}"));

        using var viaThirdNode = await Api.PinnedToAsync(vSocket.Node);
        var id = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(viaThirdNode, publisherToken, u, new { data = new { text = "hello", n = 1 } }), $"user:{u}");
        var uMarker = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(viaThirdNode, publisherToken, u, new { data = "marker" }), $"user:{u}");
        var vMarker = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(viaThirdNode, publisherToken, v, new { data = "marker" }), $"user:{v}");

        foreach (var socket in uSockets)
        {
            var notification = await socket.NextNotificationAsync();
            Assert.Equal(id, notification.GetProperty("id").GetString());
            Assert.Equal($"user:{u}", notification.GetProperty("stream").GetString());
            Assert.Equal("hello", notification.GetProperty("data").GetProperty("text").GetString());
            Assert.True(notification.GetProperty("sentAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddSeconds(5));
            // Same stream, so in order: a duplicate would have arrived before the marker.
            Assert.Equal(uMarker, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
        }

        Assert.Equal(vMarker, (await vSocket.NextNotificationAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_broadcast_reaches_every_connection_on_every_replica_exactly_once()
    {
        var publisherToken = await Api.TokenAsync(NewUserId("publisher"), "publisher");
        await using var sockets = new SocketSet();
        var tokens = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Api.TokenAsync(NewUserId($"b{i}"))));
        var connected = new List<NotificationSocket>();
        for (var attempt = 0; connected.Select(s => s.Node).Distinct().Count() < AppHostFixture.ReplicaCount; attempt++)
        {
            Assert.True(attempt < MaxConnectAttempts, "The proxy never spread the connections over every replica.");
            connected.Add(await sockets.ConnectAsync(Api, tokens[attempt % tokens.Length]));
        }

        using var http = Api.NewClient();
        var first = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.BroadcastAsync(http, publisherToken, new { data = new { text = "to everyone" } }), "broadcast");
        var marker = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.BroadcastAsync(http, publisherToken, new { data = "marker" }), "broadcast");

        foreach (var socket in connected)
        {
            var notification = await socket.NextNotificationAsync();
            Assert.Equal(first, notification.GetProperty("id").GetString());
            Assert.Equal("broadcast", notification.GetProperty("stream").GetString());
            Assert.Equal("to everyone", notification.GetProperty("data").GetProperty("text").GetString());
            Assert.Equal(marker, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task Upgrades_without_a_valid_token_get_401_and_the_header_works_as_well_as_the_query()
    {
        Assert.Equal(401, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, null)));
        Assert.Equal(401, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, "not-a-token")));
        Assert.Equal(401, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, null),
            new Dictionary<string, string> { ["Authorization"] = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9." }));

        var token = await Api.TokenAsync(NewUserId("h"));
        await using var viaHeader = await NotificationSocket.ConnectAsync(Api.BaseAddress, token, tokenInHeader: true);
        Assert.False(string.IsNullOrEmpty(viaHeader.Node));
    }

    [Fact]
    public async Task A_foreign_origin_gets_403_even_with_a_valid_token()
    {
        var token = await Api.TokenAsync(NewUserId("o"));
        var status = await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, token),
            new Dictionary<string, string> { ["Origin"] = "https://evil.example" });
        Assert.Equal(403, status);
    }

    [Fact]
    public async Task Publishing_needs_a_token_with_the_publisher_role()
    {
        using var http = Api.NewClient();
        var user = NewUserId("p");
        var plainToken = await Api.TokenAsync(user);

        using var anonymous = await NotificationsApi.PublishToUserAsync(http, null, user, new { data = 1 });
        using var notPublisher = await NotificationsApi.PublishToUserAsync(http, plainToken, user, new { data = 1 });
        using var broadcastNotPublisher = await NotificationsApi.BroadcastAsync(http, plainToken, new { data = 1 });
        // The query-string token is for browsers opening /ws only.
        using var queryToken = await http.PostAsync($"/api/notifications/broadcast?access_token={await Api.TokenAsync(user, "publisher")}",
            new StringContent("""{"data":1}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notPublisher.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, broadcastNotPublisher.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, queryToken.StatusCode);
    }

    [Fact]
    public async Task Bad_publish_and_token_requests_get_400_with_the_reason()
    {
        using var http = Api.NewClient();
        var token = await Api.TokenAsync(NewUserId("publisher"), "publisher");

        using var badUser = await NotificationsApi.PublishToUserAsync(http, token, "no spaces allowed", new { data = 1 });
        using var noData = await NotificationsApi.PublishToUserAsync(http, token, "alice", new { other = 1 });
        using var badTokenRequest = await http.PostAsync("/auth/dev-token",
            new StringContent("""{"userId":"a:b","roles":["admin"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, badUser.StatusCode);
        Assert.Contains("userId", await badUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.Contains("data", await noData.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badTokenRequest.StatusCode);
        var problem = await badTokenRequest.Content.ReadAsStringAsync();
        Assert.Contains("userId", problem, StringComparison.Ordinal);
        Assert.Contains("roles", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ping_is_answered_with_a_pong_echoing_t()
    {
        await using var socket = await NotificationSocket.ConnectAsync(Api.BaseAddress, await Api.TokenAsync(NewUserId("ping")));
        await socket.SendTextAsync("""{"type":"ping","t":{"sent":1733000000000}}""");

        var pong = await socket.NextAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(1733000000000, pong.GetProperty("t").GetProperty("sent").GetInt64());
    }

    [Theory]
    [InlineData("binary", 1003)]
    [InlineData("not json", 1007)]
    [InlineData("too big", 1009)]
    public async Task A_bad_client_frame_closes_only_that_connection_with_its_code(string kind, int expectedCode)
    {
        var token = await Api.TokenAsync(NewUserId("bad"));
        await using var bystander = await NotificationSocket.ConnectAsync(Api.BaseAddress, token);
        await using var offender = await NotificationSocket.ConnectAsync(Api.BaseAddress, token);

        switch (kind)
        {
            case "binary":
                await offender.SendAsync([1, 2, 3], System.Net.WebSockets.WebSocketMessageType.Binary);
                break;
            case "not json":
                await offender.SendTextAsync("hello?");
                break;
            default:
                await offender.SendTextAsync($$"""{"type":"ping","t":"{{new string('x', 5000)}}"}""");
                break;
        }

        Assert.Equal(expectedCode, (int?)await offender.ClosedByServerAsync());
        await bystander.SendTextAsync("""{"type":"ping","t":1}""");
        Assert.Equal("pong", (await bystander.NextAsync()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Without_Redis_the_replicas_report_it_and_refuse_publishes_then_recover_by_themselves()
    {
        var user = NewUserId("outage");
        var publisherToken = await Api.TokenAsync(NewUserId("publisher"), "publisher");
        await using var socket = await NotificationSocket.ConnectAsync(Api.BaseAddress, await Api.TokenAsync(user));
        var replicas = new List<HttpClient>();
        try
        {
            for (var attempt = 0; replicas.Count < AppHostFixture.ReplicaCount; attempt++)
            {
                Assert.True(attempt < MaxConnectAttempts, "The proxy never reached every replica.");
                var http = Api.NewClient();
                if (await AnyOnNodeAsync(replicas, await NotificationsApi.NodeOfAsync(http)))
                {
                    http.Dispose();
                }
                else
                {
                    replicas.Add(http);
                }
            }

            await fixture.StopBackplaneAsync();
            try
            {
                foreach (var replica in replicas)
                {
                    await WaitForStatusAsync(replica, "/health/redis", HttpStatusCode.ServiceUnavailable, "disconnected");
                    await WaitForStatusAsync(replica, "/health", HttpStatusCode.ServiceUnavailable, "Unhealthy");
                    using var refused = await NotificationsApi.PublishToUserAsync(replica, publisherToken, user, new { data = "lost?" });
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.NotNull(refused.Headers.RetryAfter);
                }
            }
            finally
            {
                await fixture.StartBackplaneAsync();
            }

            foreach (var replica in replicas)
            {
                await WaitForStatusAsync(replica, "/health/redis", HttpStatusCode.OK, "connected");
            }

            var listener = socket;
            if (fixture.BackplaneKeepsData)
            {
                // The client library resubscribes on reconnect; wait for that rather than for a time.
                await Eventually.UntilAsync("the replica holding the user to resubscribe",
                    async _ => await fixture.SubscribersAsync($"{ChannelPrefix}user:{user}") == 1);
            }
            else
            {
                // A backplane that lost its data starts a new history epoch: positions are void, and the client is told.
                Assert.Equal(4002, (int?)await socket.ClosedByServerAsync());
                listener = await NotificationSocket.ConnectAsync(Api.BaseAddress, await Api.TokenAsync(user),
                    resumeQuery: socket.ResumeQuery(($"user:{user}", 0)));
                Assert.NotEqual(socket.Welcome.GetProperty("epoch").GetString(), listener.Welcome.GetProperty("epoch").GetString());
                var resumed = await listener.NextAsync();
                Assert.Equal("resumed", resumed.GetProperty("type").GetString());
                Assert.False(resumed.GetProperty("recovered").GetBoolean());
                Assert.Equal("epoch_changed", resumed.GetProperty("reason").GetString());
            }

            await using var _ = listener == socket ? null : listener;
            var id = await NotificationsApi.AcceptedIdAsync(
                await NotificationsApi.PublishToUserAsync(replicas[0], publisherToken, user, new { data = "after the outage" }), $"user:{user}");
            Assert.Equal(id, (await listener.NextNotificationAsync()).GetProperty("id").GetString());
        }
        finally
        {
            replicas.ForEach(r => r.Dispose());
        }
    }

    protected static string NewUserId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private static async Task<bool> AnyOnNodeAsync(List<HttpClient> clients, string node)
    {
        foreach (var client in clients)
        {
            if (await NotificationsApi.NodeOfAsync(client) == node)
            {
                return true;
            }
        }

        return false;
    }

    private static Task WaitForStatusAsync(HttpClient replica, string path, HttpStatusCode status, string bodyContains) =>
        Eventually.UntilAsync($"{path} to answer {(int)status}", async token =>
        {
            using var response = await replica.GetAsync(path, token);
            return response.StatusCode == status && (await response.Content.ReadAsStringAsync(token)).Contains(bodyContains, StringComparison.Ordinal);
        });
}

[Collection(GarnetAppHost.Name)]
public sealed class GarnetCrossReplicaDeliveryTests(GarnetAppHostFixture fixture)
    : CrossReplicaDeliveryTests<GarnetAppHostFixture>(fixture);

[Collection(RedisServerAppHost.Name)]
public sealed class RedisServerCrossReplicaDeliveryTests(RedisServerAppHostFixture fixture)
    : CrossReplicaDeliveryTests<RedisServerAppHostFixture>(fixture);
