using System.Net;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// The one Redis server gone: every replica reports it and refuses publishes with 503, then recovers by itself once it
/// is back. (With Sentinel and Cluster a replica takes over instead: see <see cref="BackplaneFailoverTests{TFixture}"/>.)
/// </summary>
public abstract class BackplaneOutageTests<TFixture>(TFixture fixture)
    where TFixture : AppHostFixture
{
    private const string ChannelPrefix = "aspirenotify:";

    protected TFixture Fixture => fixture;

    [Fact]
    public async Task Without_Redis_the_replicas_report_it_and_refuse_publishes_then_recover_by_themselves()
    {
        var user = NewUserId("outage");
        var publisherToken = await Fixture.Api.TokenAsync(NewUserId("publisher"), "publisher");
        // The user's stream gets its epoch with its first message: a stream that never had one has no history to lose.
        using (var first = Fixture.Api.NewClient())
        {
            await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(first, publisherToken, user, new { data = "before" }), $"user:{user}");
        }

        await using var socket = await NotificationSocket.ConnectAsync(Fixture.Api.BaseAddress, await Fixture.Api.TokenAsync(user));
        var replicas = new List<HttpClient>();
        try
        {
            for (var attempt = 0; replicas.Count < AppHostFixture.ReplicaCount; attempt++)
            {
                Assert.True(attempt < AppHostFixture.MaxConnectAttempts, "The proxy never reached every replica.");
                var http = Fixture.Api.NewClient();
                if (await AnyOnNodeAsync(replicas, await NotificationsApi.NodeOfAsync(http)))
                {
                    http.Dispose();
                }
                else
                {
                    replicas.Add(http);
                }
            }

            await Fixture.StopBackplaneAsync();
            try
            {
                foreach (var replica in replicas)
                {
                    await WaitForStatusAsync(replica, "/health/redis", HttpStatusCode.ServiceUnavailable, "disconnected");
                    await WaitForStatusAsync(replica, "/health", HttpStatusCode.ServiceUnavailable, "Unhealthy");
                    using var refused = await NotificationsApi.PublishToUserAsync(replica, publisherToken, user, new { data = "lost?" });
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.NotNull(refused.Headers.RetryAfter);
                    // A batch none of whose streams Redis took is refused as a whole, the same way.
                    using var refusedBatch = await NotificationsApi.PublishBatchAsync(replica, publisherToken,
                        new { messages = new object[] { new { userId = user, data = "lost?" }, new { broadcast = true, data = "lost?" } } });
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, refusedBatch.StatusCode);
                    Assert.NotNull(refusedBatch.Headers.RetryAfter);
                }
            }
            finally
            {
                await Fixture.StartBackplaneAsync();
            }

            foreach (var replica in replicas)
            {
                await WaitForStatusAsync(replica, "/health/redis", HttpStatusCode.OK, "connected");
            }

            var listener = socket;
            if (Fixture.BackplaneKeepsData)
            {
                // The client library resubscribes on reconnect; wait for that rather than for a time.
                await Eventually.UntilAsync("the replica holding the user to resubscribe",
                    async _ => await Fixture.SubscribersAsync($"{ChannelPrefix}user:{user}") == 1);
            }
            else
            {
                // A backplane that lost its data starts a new history epoch: positions are void, and the client is told.
                Assert.Equal(4002, (int?)await socket.ClosedByServerAsync());
                listener = await NotificationSocket.ConnectAsync(Fixture.Api.BaseAddress, await Fixture.Api.TokenAsync(user),
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

    private static string NewUserId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

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
public sealed class GarnetBackplaneOutageTests(GarnetAppHostFixture fixture) : BackplaneOutageTests<GarnetAppHostFixture>(fixture);

[Collection(RedisServerAppHost.Name)]
public sealed class RedisServerBackplaneOutageTests(RedisServerAppHostFixture fixture) : BackplaneOutageTests<RedisServerAppHostFixture>(fixture);
