using System.Net;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>Where resume ends: a history that no longer covers the gap, a foreign epoch, a bad position.</summary>
public sealed class ResumeLimitsTests(SmallHistoryApi replica) : IClassFixture<SmallHistoryApi>
{
    [Fact]
    public async Task Positions_older_than_the_history_get_recovered_false_and_the_connection_continues_live()
    {
        var user = $"trimmed-{Guid.NewGuid():N}";
        var token = await replica.Api.TokenAsync(user);
        var publisher = await replica.Api.TokenAsync("publisher", "publisher");
        using var http = replica.Api.NewClient();
        string query;
        await using (var first = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token))
        {
            query = first.ResumeQuery(($"user:{user}", 0));
        }

        // More than the history keeps, published while the client is away.
        for (var n = 0; n < SmallHistoryApi.HistoryMaxCount + 2; n++)
        {
            await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = n }), $"user:{user}");
        }

        await using var resumed = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token, resumeQuery: query);
        var outcome = await resumed.NextAsync();
        Assert.Equal("resumed", outcome.GetProperty("type").GetString());
        Assert.False(outcome.GetProperty("recovered").GetBoolean());
        Assert.Equal("history_trimmed", outcome.GetProperty("reason").GetString());
        Assert.Equal([$"user:{user}"], outcome.GetProperty("streams").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(SmallHistoryApi.HistoryMaxCount + 2, resumed.Welcome.GetProperty("positions").GetProperty($"user:{user}").GetInt64());

        var live = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = "live" }), $"user:{user}");
        var notification = await resumed.NextNotificationAsync();
        Assert.Equal(live, notification.GetProperty("id").GetString());
        Assert.Equal(SmallHistoryApi.HistoryMaxCount + 3, notification.GetProperty("seq").GetInt64());
    }

    [Fact]
    public async Task Positions_within_the_history_are_replayed_in_a_batch_before_resumed()
    {
        var user = $"within-{Guid.NewGuid():N}";
        var token = await replica.Api.TokenAsync(user);
        var publisher = await replica.Api.TokenAsync("publisher", "publisher");
        using var http = replica.Api.NewClient();
        var ids = new List<string>();
        for (var n = 0; n < SmallHistoryApi.HistoryMaxCount + 1; n++)
        {
            ids.Add(await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = n }), $"user:{user}"));
        }

        // The client saw seq 1; the history (3 messages) still holds 2, 3 and 4.
        var epoch = (await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token)) is var probe
            ? probe.Welcome.GetProperty("epoch").GetString() : null;
        await probe.DisposeAsync();
        await using var resumed = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token,
            resumeQuery: $"epoch={epoch}&since=user:{user}:1", keepBatches: true);

        var batch = await resumed.NextAsync();
        Assert.Equal("batch", batch.GetProperty("type").GetString());
        Assert.Equal(ids.Skip(1), batch.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()));
        var outcome = await resumed.NextAsync();
        Assert.True(outcome.GetProperty("recovered").GetBoolean());
        Assert.Equal(SmallHistoryApi.HistoryMaxCount, outcome.GetProperty("missed").GetInt32());
    }

    [Fact]
    public async Task Another_epoch_gets_recovered_false_epoch_changed()
    {
        var user = $"epoch-{Guid.NewGuid():N}";
        await using var socket = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync(user),
            resumeQuery: $"epoch=not-this-one&since=user:{user}:0,broadcast:0");

        var outcome = await socket.NextAsync();
        Assert.False(outcome.GetProperty("recovered").GetBoolean());
        Assert.Equal("epoch_changed", outcome.GetProperty("reason").GetString());
        Assert.Equal(2, outcome.GetProperty("streams").GetArrayLength());
    }

    [Theory]
    [InlineData("since=user:someone-else:3")]
    [InlineData("since=broadcast:-1")]
    [InlineData("since=broadcast")]
    public async Task Malformed_or_foreign_positions_are_refused_with_400_before_the_upgrade(string query)
    {
        var token = await replica.Api.TokenAsync($"bad-resume-{Guid.NewGuid():N}");
        var status = await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token, query));
        Assert.Equal((int)HttpStatusCode.BadRequest, status);
    }
}
