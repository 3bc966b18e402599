using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// <c>Backplane:PublishTimeout</c> bounds the whole publish: a Redis that stops answering gets the publisher a 503
/// while it is still stopped, never a late 202, and a retry with the same idempotency key stores the message once.
/// </summary>
public sealed class PublishTimeoutTests : IAsyncLifetime
{
    private LocalCluster? _cluster;

    private LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync() =>
        _cluster = await LocalCluster.StartAsync(1, new Dictionary<string, string> { ["Backplane__PublishTimeout"] = "00:00:01" },
            ApiProcess.ConfigurationOf(typeof(PublishTimeoutTests)), new RedisServerOptions { Durable = false });

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_publish_to_a_redis_that_stopped_answering_gets_503_in_time_and_its_retry_is_delivered_once()
    {
        var api = new NotificationsApi(Cluster.Replicas[0].BaseAddress);
        using var http = api.NewClient();
        var publisher = Tokens.For("publisher", publisher: true);
        await using var socket = await NotificationSocket.ConnectAsync(api.BaseAddress, Tokens.For("patient"));

        HttpResponseMessage whileFrozen;
        await Cluster.Redis.FreezeAsync();
        try
        {
            whileFrozen = await NotificationsApi.PublishToUserAsync(http, publisher, "patient", new { data = "held up" }, "held-up-1");
        }
        finally
        {
            await Cluster.Redis.ThawAsync();
        }

        using (whileFrozen)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, whileFrozen.StatusCode);
            Assert.NotNull(whileFrozen.Headers.RetryAfter);
        }

        var retried = await Eventually.UntilValueAsync("the retry to be acknowledged", async token =>
        {
            using var response = await NotificationsApi.PublishToUserAsync(http, publisher, "patient", new { data = "held up" }, "held-up-1");
            return response.StatusCode == HttpStatusCode.Accepted ? await response.Content.ReadFromJsonAsync<JsonElement>(token) : (JsonElement?)null;
        });
        var after = await NotificationsApi.AcceptedIdAsync(
            await NotificationsApi.PublishToUserAsync(http, publisher, "patient", new { data = "after" }), "user:patient");

        Assert.Equal(retried.GetProperty("id").GetString(), (await socket.NextNotificationAsync()).GetProperty("id").GetString());
        Assert.Equal(after, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
    }
}
