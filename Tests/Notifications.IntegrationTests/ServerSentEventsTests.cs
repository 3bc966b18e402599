using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.ServerSentEvents;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// <c>GET /sse</c> against a real replica: the event mapping, cursors and resume with <c>Last-Event-ID</c>, heartbeats,
/// the refusals of <c>/ws</c>, and the close event where a WebSocket gets a close code (slow consumer, token expiry, drain).
/// </summary>
public sealed class ServerSentEventsTests(InProcessApi replica) : IClassFixture<InProcessApi>
{
    [Fact]
    public async Task The_stream_opens_with_retry_then_the_welcome_and_carries_notifications_and_broadcasts_with_cursors()
    {
        var user = $"sse-{Guid.NewGuid():N}";
        await using var stream = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync(user));
        var response = stream.Response;
        Assert.Equal(EventStreams.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.Equal("no", Assert.Single(response.Headers.GetValues("X-Accel-Buffering")));
        Assert.InRange(stream.Retry!.Value, ServerSentEventsEndpoint.RetryMilliseconds,
            ServerSentEventsEndpoint.RetryMilliseconds + ServerSentEventsEndpoint.RetryJitterMilliseconds);
        Assert.Equal(user, stream.Welcome.Data.GetProperty(FrameFields.UserId).GetString());
        string[] streams = [Streams.ForUser(user), Streams.Broadcast];
        var welcomed = Resume(stream.Welcome.Id!, streams);
        Assert.Equal(stream.Welcome.Data.GetProperty(FrameFields.Epoch).GetString(), welcomed.Epoch);

        using var http = replica.Api.NewClient();
        var publisher = await replica.Api.TokenAsync("publisher", TokenClaims.PublisherRole);
        var toUser = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = "line\nbreak" }),
            Streams.ForUser(user));
        var notification = await stream.NextAsync();
        Assert.Equal(FrameTypes.Notification, notification.Type);
        Assert.Equal(toUser, notification.Data.GetProperty(FrameFields.Id).GetString());
        Assert.Equal("line\nbreak", notification.Data.GetProperty(FrameFields.Data).GetString());
        Assert.Equal(notification.Data.GetProperty(FrameFields.Seq).GetInt64(), Resume(notification.Id!, streams).Since[Streams.ForUser(user)]);

        var toAll = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.BroadcastAsync(http, publisher, new { data = 2 }), Streams.Broadcast);
        var broadcast = (await stream.NotificationsAsync(1))[0];
        Assert.Equal(toAll, broadcast.GetProperty(FrameFields.Id).GetString());
        Assert.Equal(broadcast.GetProperty(FrameFields.Seq).GetInt64(), Resume(stream.LastEventId!, streams).Since[Streams.Broadcast]);
    }

    [Fact]
    public async Task Heartbeat_comments_arrive_every_keep_alive_interval_on_an_idle_stream()
    {
        await using var stream = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync($"idle-{Guid.NewGuid():N}"));
        await stream.WaitForHeartbeatsAsync(3, TimeSpan.FromSeconds(30));
        Assert.False(stream.Ended);
    }

    [Fact]
    public async Task A_reconnect_with_Last_Event_ID_replays_exactly_what_was_missed_then_goes_live()
    {
        var user = $"resume-{Guid.NewGuid():N}";
        var token = await replica.Api.TokenAsync(user);
        using var http = replica.Api.NewClient();
        var publisher = await replica.Api.TokenAsync("publisher", TokenClaims.PublisherRole);
        var ids = new List<string>();
        string lastEventId;
        await using (var first = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, token))
        {
            ids.Add(await PublishAsync(http, publisher, user, 0));
            ids.Add(await PublishAsync(http, publisher, user, 1));
            Assert.Equal(ids, (await first.NotificationsAsync(2)).Select(Id));
            lastEventId = first.LastEventId!;
        }

        for (var n = 2; n < 5; n++)
        {
            ids.Add(await PublishAsync(http, publisher, user, n));
        }

        await using var second = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, token, lastEventId);
        var replay = await second.NextAsync();
        Assert.Equal(FrameTypes.Batch, replay.Type);
        Assert.True(replay.Data.GetProperty(FrameFields.Replay).GetBoolean());
        Assert.Equal(ids[2..], replay.Data.GetProperty(FrameFields.Items).EnumerateArray().Select(Id));
        var resumed = await second.NextAsync();
        Assert.Equal(FrameTypes.Resumed, resumed.Type);
        Assert.True(resumed.Data.GetProperty(FrameFields.Recovered).GetBoolean());
        Assert.Equal(3, resumed.Data.GetProperty(FrameFields.Missed).GetInt32());
        Assert.NotNull(resumed.Id);

        ids.Add(await PublishAsync(http, publisher, user, 5));
        Assert.Equal(ids[5..], (await second.NotificationsAsync(1)).Select(Id));
    }

    [Fact]
    public async Task A_malformed_or_foreign_Last_Event_ID_is_refused_with_400_resume_position()
    {
        var token = await replica.Api.TokenAsync($"cursor-{Guid.NewGuid():N}");
        string foreign;
        await using (var other = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync($"other-{Guid.NewGuid():N}")))
        {
            foreign = other.Welcome.Id!;
        }

        foreach (var cursor in new[] { "garbage", "2.00000000.-:0.-:0", foreign })
        {
            var (http, response) = await EventStreamClient.RequestAsync(replica.Api.BaseAddress, token, cursor);
            using (http)
            using (response)
            {
                await AssertRefusedAsync(response, HttpStatusCode.BadRequest, TelemetryNames.RejectionReasons.ResumePosition);
            }
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_gets_an_in_order_prefix_then_the_close_event_with_4000_and_the_end_of_the_stream()
    {
        using var failed = new MetricCollector<long>(replica.Services.GetRequiredService<IMeterFactory>(), TelemetryNames.Source, TelemetryNames.DeliveriesFailed);
        var user = $"slow-sse-{Guid.NewGuid():N}";
        await using var slow = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync(user), paused: true);
        using var http = replica.Api.NewClient();
        var publisher = await replica.Api.TokenAsync("publisher", TokenClaims.PublisherRole);
        var payload = new string('x', 64 * 1024);
        var published = new List<string>();
        for (var n = 0; !failed.GetMeasurementSnapshot().Any(IsSlowConsumer); n++)
        {
            Assert.True(n < 5_000, "The slow stream was never cut off.");
            published.Add(await NotificationsApi.AcceptedIdAsync(
                await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = new { n, payload } }), Streams.ForUser(user)));
        }

        slow.StartReading();
        var received = new List<string>();
        ServerEvent? close = null;
        while (await slow.NextOrEndAsync() is { } next)
        {
            if (next.Type == FrameTypes.Close)
            {
                close = next;
                continue;
            }

            received.AddRange(next.Type == FrameTypes.Batch ? next.Data.GetProperty(FrameFields.Items).EnumerateArray().Select(Id) : [Id(next.Data)]);
        }

        Assert.NotNull(close);
        Assert.Equal(CloseCodes.SlowConsumer, close.Data.GetProperty(FrameFields.Code).GetInt32());
        Assert.True(slow.Ended);
        Assert.NotEmpty(received);
        Assert.Equal(published.Take(received.Count), received);
        Assert.True(received.Count < published.Count);
        await Eventually.UntilAsync("the slow stream to be removed", _ => Task.FromResult(replica.Registry.ConnectionsOf(user).Length == 0));
    }

    [Fact]
    public async Task A_stream_whose_token_expires_ends_with_the_close_event_4001()
    {
        var user = $"expiring-sse-{Guid.NewGuid():N}";
        var issuer = new TokenIssuer(Options.Create(new AuthOptions { SigningKey = InProcessReplica.SigningKey }), TimeProvider.System);
        await using var stream = await EventStreamClient.ConnectAsync(replica.Api.BaseAddress, issuer.Issue(user, [], TimeSpan.FromSeconds(2)).AccessToken);

        var close = await stream.NextAsync();
        Assert.Equal(FrameTypes.Close, close.Type);
        Assert.Equal(CloseCodes.TokenExpired, close.Data.GetProperty(FrameFields.Code).GetInt32());
        Assert.Null(await stream.NextOrEndAsync());
    }

    [Fact]
    public async Task Refusals_are_those_of_the_WebSocket_with_the_same_status_and_problem_details()
    {
        using var garnet = new InProcessGarnet();
        await using var limited = new InProcessReplica(garnet.ConnectionString, "sse-limits", new Dictionary<string, string>
        {
            ["Limits:ConnectionsPerUser"] = "1",
            ["Limits:UpgradesPerAddressPerSecond"] = "1",
            ["Limits:UpgradeBurst"] = "6",
            ["Connections:AllowedOrigins:0"] = "https://app.example",
        });
        var token = await limited.Api.TokenAsync("limited");
        await using var held = await EventStreamClient.ConnectAsync(limited.Api.BaseAddress, token, query: null);

        await AssertRefusedAsync(limited.Api.BaseAddress, token, HttpStatusCode.TooManyRequests, TelemetryNames.RejectionReasons.UserLimit);
        await AssertRefusedAsync(limited.Api.BaseAddress, null, HttpStatusCode.Unauthorized, TelemetryNames.RejectionReasons.Unauthenticated);
        await AssertRefusedAsync(limited.Api.BaseAddress, token, HttpStatusCode.Forbidden, TelemetryNames.RejectionReasons.Origin,
            new Dictionary<string, string> { ["Origin"] = "https://evil.example" });
        await AssertRefusedAsync(limited.Api.BaseAddress, token, HttpStatusCode.BadRequest, TelemetryNames.RejectionReasons.ResumePosition,
            query: $"{QueryParameters.Since}=user:someone-else:3");
        for (var attempt = 0; ; attempt++)
        {
            Assert.True(attempt < 50, "The upgrade rate limit never answered.");
            var (http, response) = await EventStreamClient.RequestAsync(limited.Api.BaseAddress, token);
            using (http)
            using (response)
            {
                if (await ReasonAsync(response) == TelemetryNames.RejectionReasons.RateLimited)
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                    Assert.NotNull(response.Headers.RetryAfter);
                    break;
                }
            }
        }
    }

    [Fact]
    public async Task A_draining_replica_ends_its_streams_with_the_close_event_1012_and_refuses_new_ones_with_503()
    {
        using var garnet = new InProcessGarnet();
        await using var draining = new InProcessReplica(garnet.ConnectionString, "sse-draining", new Dictionary<string, string>
        {
            ["Connections:DrainWindow"] = "00:00:10",
        });
        var token = await draining.Api.TokenAsync("drained");
        await using var stream = await EventStreamClient.ConnectAsync(draining.Api.BaseAddress, token);
        // Held open without reading: the replica keeps draining (and refusing) for its whole window.
        await using var stubborn = await EventStreamClient.ConnectAsync(draining.Api.BaseAddress, token, paused: true);

        draining.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        var close = await stream.NextAsync();
        Assert.Equal(FrameTypes.Close, close.Type);
        Assert.Equal(CloseCodes.ServiceRestart, close.Data.GetProperty(FrameFields.Code).GetInt32());
        Assert.Null(await stream.NextOrEndAsync());
        await AssertRefusedAsync(draining.Api.BaseAddress, token, HttpStatusCode.ServiceUnavailable, TelemetryNames.RejectionReasons.Draining);
    }

    private static async Task<string> PublishAsync(HttpClient http, string publisher, string user, int n) =>
        await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, user, new { data = n }), Streams.ForUser(user));

    private static string Id(JsonElement notification) => notification.GetProperty(FrameFields.Id).GetString()!;

    private static Notifications.Api.Connections.ResumeRequest Resume(string cursor, string[] streams)
    {
        Assert.True(EventCursor.TryParse(cursor, streams, out var resume, out var error), error);
        return resume!;
    }

    private static bool IsSlowConsumer(CollectedMeasurement<long> measurement) =>
        measurement.Tags.TryGetValue(TelemetryNames.Tags.Reason, out var reason) && (string?)reason == TelemetryNames.FailureReasons.SlowConsumer;

    private static async Task AssertRefusedAsync(Uri api, string? token, HttpStatusCode status, string reason,
        IReadOnlyDictionary<string, string>? headers = null, string? query = null)
    {
        var (http, response) = await EventStreamClient.RequestAsync(api, token, query: query, headers: headers);
        using (http)
        using (response)
        {
            await AssertRefusedAsync(response, status, reason);
        }
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, await ReasonAsync(response));
    }

    private static async Task<string?> ReasonAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? null : JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("reason").GetString();
}
