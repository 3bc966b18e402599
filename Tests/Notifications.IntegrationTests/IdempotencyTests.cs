using System.Net;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

public sealed class IdempotencyTests(InProcessApi replica) : IClassFixture<InProcessApi>
{
    [Fact]
    public async Task A_repeated_idempotency_key_returns_the_first_publish_and_delivers_once()
    {
        var user = $"idem-{Guid.NewGuid():N}";
        await using var socket = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync(user));
        var publisher = await replica.Api.TokenAsync("publisher", "publisher");
        using var http = replica.Api.NewClient();

        var first = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = "once" }, idempotencyKey: "order-42:shipped"), $"user:{user}");
        var retry = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = "once" }, idempotencyKey: "order-42:shipped"), $"user:{user}");
        var next = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = "next" }), $"user:{user}");

        Assert.Equal(first, retry);
        var delivered = await socket.NextNotificationAsync();
        Assert.Equal(first, delivered.GetProperty("id").GetString());
        Assert.Equal(1, delivered.GetProperty("seq").GetInt64());
        var after = await socket.NextNotificationAsync();
        Assert.Equal(next, after.GetProperty("id").GetString());
        Assert.Equal(2, after.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task The_same_key_on_another_stream_is_another_message_and_a_malformed_key_is_refused()
    {
        var publisher = await replica.Api.TokenAsync("publisher", "publisher");
        using var http = replica.Api.NewClient();

        var one = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(http, publisher, "idem-a", new { data = 1 }, idempotencyKey: "k1"), "user:idem-a");
        var other = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(http, publisher, "idem-b", new { data = 1 }, idempotencyKey: "k1"), "user:idem-b");
        using var malformed = await NotificationsApi.PublishToUserAsync(http, publisher, "idem-a", new { data = 1 }, idempotencyKey: "has space");

        Assert.NotEqual(one, other);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("Idempotency-Key", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
