using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Notifications.Client;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// <c>POST /api/notifications/batch</c> through the real AppHost, once per backplane: Garnet's Lua, redis-server, and a
/// Redis cluster (each stream's script on its own slot's primary, and one WAIT per primary before anything is published).
/// </summary>
public abstract class BatchPublishTests<TFixture>(TFixture fixture)
    where TFixture : AppHostFixture
{
    private NotificationsApi Api => fixture.Api;

    [Fact]
    public async Task A_batch_to_users_on_every_replica_is_delivered_in_order_with_the_reported_seqs()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture);
        var publisher = await PublisherAsync();
        var messages = new List<BatchMessage>();
        for (var round = 0; round < 4; round++)
        {
            messages.AddRange(scenario.Users.Select(user => BatchMessage.ToUser(user, Data(new { user, round }))));
            if (round == 1)
            {
                messages.Add(BatchMessage.ToEveryone(Data(new { everyone = true })));
            }
        }

        var results = (await publisher.PublishBatchAsync(messages)).Results;

        Assert.Equal(messages.Count, results.Count);
        Assert.All(results, result => Assert.True(result.Succeeded, result.Error?.Detail));
        var broadcast = Assert.Single(results, result => result.Stream == Streams.Broadcast);
        foreach (var probe in scenario.Probes)
        {
            var expected = results.Where(result => result.Stream == Streams.ForUser(probe.UserId)).ToList();
            Assert.Equal(expected.Select(result => result.Seq), expected.Select(result => result.Seq).Order());
            await probe.WaitUntilAsync($"the batch's {expected.Count} messages and its broadcast",
                p => p.OfOwnStream().Count >= expected.Count && p.Received.Any(n => n.Id == broadcast.Id));
            Assert.Equal(expected.Select(result => (result.Id!, result.Seq!.Value)), probe.OfOwnStream().Select(n => (n.Id, n.Seq)));
            Assert.Equal(broadcast.Seq, probe.Received.Single(n => n.Id == broadcast.Id).Seq);
        }
    }

    [Fact]
    public async Task A_retried_batch_answers_the_same_ids_and_seqs_and_stores_and_delivers_nothing_twice()
    {
        var (first, second) = (NewUserId("idem-a"), NewUserId("idem-b"));
        await using var firstProbe = await ClientProbe.StartAsync(Api, first);
        await using var secondProbe = await ClientProbe.StartAsync(Api, second);
        var publisher = await PublisherAsync();
        BatchMessage[] messages =
        [
            BatchMessage.ToUser(first, Data(1), "order-1"),
            BatchMessage.ToUser(second, Data(2), "order-2"),
            BatchMessage.ToUser(first, Data(3), "order-3"),
            // The same key again in one batch is the same message, like a retry.
            BatchMessage.ToUser(first, Data(1), "order-1"),
        ];

        var once = (await publisher.PublishBatchAsync(messages)).Results;
        var again = (await publisher.PublishBatchAsync(messages)).Results;
        var marker = await publisher.PublishToUserAsync(first, Data("marker"));

        Assert.Equal(once, again);
        Assert.Equal(once[0], once[3]);
        Assert.Equal([1L, 2L], new[] { once[0].Seq!.Value, once[2].Seq!.Value });
        // The next seq after the retry: the retry stored nothing.
        Assert.Equal(3, marker.Seq);
        await firstProbe.WaitUntilAsync("the batch and the marker", p => p.OfOwnStream().Any(n => n.Id == marker.Id));
        Assert.Equal([once[0].Id, once[2].Id, marker.Id], firstProbe.OfOwnStream().Select(n => n.Id));
        await secondProbe.WaitUntilAsync("its one message", p => p.OfOwnStream().Count >= 1);
        Assert.Equal(once[1].Id, Assert.Single(secondProbe.OfOwnStream()).Id);
    }

    [Fact]
    public async Task A_mixed_batch_answers_each_invalid_message_with_its_error_and_delivers_the_others()
    {
        var user = NewUserId("mixed");
        await using var probe = await ClientProbe.StartAsync(Api, user);
        using var http = Api.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Routes.PublishBatch)
        {
            Content = new StringContent($$"""
                {"messages":[
                  {"userId":"{{user}}","data":"first"},
                  {"userId":"not a user id","data":"lost"},
                  {"data":"nowhere"},
                  {"userId":"{{user}}","data":"second","idempotencyKey":"not a key"},
                  {"userId":"{{user}}"},
                  {"userId":"{{user}}","data":"third"}
                ]}
                """, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await Api.TokenAsync(NewUserId("publisher"), TokenClaims.PublisherRole));

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<PublishBatchResponse>())!.Results;
        Assert.Equal([null, BatchErrorCodes.InvalidUserId, BatchErrorCodes.InvalidTarget, BatchErrorCodes.InvalidIdempotencyKey,
            BatchErrorCodes.MissingData, null], results.Select(result => result.Error?.Code));
        Assert.All(results.Where(result => !result.Succeeded), result => Assert.Null(result.Seq));
        await probe.WaitUntilAsync("the two valid messages", p => p.OfOwnStream().Count >= 2);
        Assert.Equal(["first", "third"], probe.OfOwnStream().Select(n => n.Data.GetString()));
        Assert.Equal([results[0].Seq, results[5].Seq], probe.OfOwnStream().Select(n => (long?)n.Seq));
    }

    [Fact]
    public async Task A_stream_Redis_fails_answers_its_messages_backplane_unavailable_and_only_when_all_fail_is_the_batch_a_503()
    {
        var (healthy, broken) = (NewUserId("healthy"), NewUserId("broken"));
        await using var probe = await ClientProbe.StartAsync(Api, healthy);
        // A history key of the wrong type makes Redis fail that stream's script, as a shard that is down would.
        await fixture.Redis.GetDatabase().StringSetAsync($"aspirenotify:{{{Streams.ForUser(broken)}}}:history", "not a sorted set");
        var publisher = await PublisherAsync();

        var results = (await publisher.PublishBatchAsync(
            [BatchMessage.ToUser(broken, Data(1)), BatchMessage.ToUser(healthy, Data(2)), BatchMessage.ToUser(broken, Data(3))])).Results;
        var refused = await Assert.ThrowsAsync<PublishRefusedException>(() => publisher.PublishBatchAsync([BatchMessage.ToUser(broken, Data(4))]));

        Assert.Equal([BatchErrorCodes.BackplaneUnavailable, null, BatchErrorCodes.BackplaneUnavailable], results.Select(result => result.Error?.Code));
        Assert.Equal(Streams.ForUser(broken), results[0].Stream);
        await probe.WaitUntilAsync("the healthy stream's message", p => p.OfOwnStream().Count >= 1);
        Assert.Equal(results[1].Id, Assert.Single(probe.OfOwnStream()).Id);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "backplane", true), (refused.Status, refused.Reason, refused.Retryable));
        Assert.NotNull(refused.RetryAfter);
    }

    [Fact]
    public async Task A_batch_over_its_limits_or_without_the_publisher_role_is_refused_as_a_whole()
    {
        var publisher = await PublisherAsync();
        var tooMany = Enumerable.Range(0, DefaultMaxBatchMessages + 1).Select(i => BatchMessage.ToEveryone(Data(i))).ToList();
        var tooBig = new[] { BatchMessage.ToEveryone(Data(new string('x', DefaultMaxBatchBodyBytes))) };
        using var http = Api.NewClient();
        var notPublisher = new NotificationPublisher(http, async _ => await Api.TokenAsync(NewUserId("reader")));

        var count = await Assert.ThrowsAsync<PublishRefusedException>(() => publisher.PublishBatchAsync(tooMany));
        var size = await Assert.ThrowsAsync<PublishRefusedException>(() => publisher.PublishBatchAsync(tooBig));
        var empty = await Assert.ThrowsAsync<PublishRefusedException>(() => publisher.PublishBatchAsync([]));
        var forbidden = await Assert.ThrowsAsync<PublishRefusedException>(() => notPublisher.PublishBatchAsync([BatchMessage.ToEveryone(Data(1))]));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "too_many_messages"), (count.Status, count.Reason));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "too_big"), (size.Status, size.Reason));
        Assert.Equal((HttpStatusCode.BadRequest, "invalid"), (empty.Status, empty.Reason));
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (forbidden.Status, forbidden.Reason));
        Assert.False(count.Retryable);
    }

    /// <summary>The defaults of Limits:MaxBatchMessages and Limits:MaxBatchBodyBytes, which the AppHost keeps.</summary>
    private const int DefaultMaxBatchMessages = 1000;
    private const int DefaultMaxBatchBodyBytes = 1024 * 1024;

    private async Task<NotificationPublisher> PublisherAsync()
    {
        var token = await Api.TokenAsync(NewUserId("publisher"), TokenClaims.PublisherRole);
        return new NotificationPublisher(Api.NewClient(), _ => ValueTask.FromResult(token));
    }

    private static JsonElement Data<T>(T value) => JsonSerializer.SerializeToElement(value);

    private static string NewUserId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}

[Collection(GarnetAppHost.Name)]
public sealed class GarnetBatchPublishTests(GarnetAppHostFixture fixture) : BatchPublishTests<GarnetAppHostFixture>(fixture);

[Collection(RedisServerAppHost.Name)]
public sealed class RedisServerBatchPublishTests(RedisServerAppHostFixture fixture) : BatchPublishTests<RedisServerAppHostFixture>(fixture);

[Collection(ClusterAppHost.Name)]
public sealed class ClusterBatchPublishTests(ClusterAppHostFixture fixture) : BatchPublishTests<ClusterAppHostFixture>(fixture);
