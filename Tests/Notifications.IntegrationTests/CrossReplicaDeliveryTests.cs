using System.Net;
using System.Text.Json;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>Delivery across the replicas of the real AppHost; run once per backplane (see the derived classes).</summary>
public abstract class CrossReplicaDeliveryTests<TFixture>(TFixture fixture)
    where TFixture : AppHostFixture
{
    private const string ChannelPrefix = "aspirenotify:";

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
            Assert.True(attempt < AppHostFixture.MaxConnectAttempts, "The proxy never spread the connections over every replica.");
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

    protected static string NewUserId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

}

[Collection(GarnetAppHost.Name)]
public sealed class GarnetCrossReplicaDeliveryTests(GarnetAppHostFixture fixture)
    : CrossReplicaDeliveryTests<GarnetAppHostFixture>(fixture);

[Collection(RedisServerAppHost.Name)]
public sealed class RedisServerCrossReplicaDeliveryTests(RedisServerAppHostFixture fixture)
    : CrossReplicaDeliveryTests<RedisServerAppHostFixture>(fixture);

[Collection(ClusterAppHost.Name)]
public sealed class ClusterCrossReplicaDeliveryTests(ClusterAppHostFixture fixture)
    : CrossReplicaDeliveryTests<ClusterAppHostFixture>(fixture);
