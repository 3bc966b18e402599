using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// A publisher sends a numbered sequence at a steady rate to several users whose clients (Notifications.Client) are
/// spread over the three replicas; something breaks mid-stream; at the end every client must hold every acknowledged
/// message of its stream exactly once and in order.
/// </summary>
public abstract class FaultTests<TFixture>(TFixture fixture)
    where TFixture : AppHostFixture
{
    private const int Messages = 150;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    protected TFixture Fixture => fixture;

    [Fact]
    public async Task A_replica_killed_mid_stream_loses_no_acknowledged_message()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture);
        var victim = scenario.BusiestNode();
        try
        {
            var publishing = scenario.Publisher.PublishAsync(scenario.Users, Messages, Interval);
            await scenario.Publisher.WhenAcknowledged(Messages / 3);
            fixture.Replicas.Kill(victim);
            await publishing;

            await scenario.AssertEveryClientHasEverythingAsync();
            Assert.All(scenario.Probes, probe => Assert.NotEqual(victim, probe.Node));
        }
        finally
        {
            await fixture.Replicas.StartAsync(victim);
        }
    }

    [Fact]
    public async Task A_replica_stopped_gracefully_and_started_again_loses_nothing_and_its_clients_hear_1012()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture);
        var victim = scenario.BusiestNode();
        var onVictim = scenario.Probes.Where(probe => probe.Node == victim).ToList();
        try
        {
            var publishing = scenario.Publisher.PublishAsync(scenario.Users, Messages, Interval);
            await scenario.Publisher.WhenAcknowledged(Messages / 3);
            await fixture.Replicas.StopAsync(victim);
            await fixture.Replicas.StartAsync(victim);
            await publishing;

            await scenario.AssertEveryClientHasEverythingAsync();
            Assert.All(onVictim, probe => Assert.Contains(probe.Changes, change => change.CloseCode == 1012));
        }
        finally
        {
            await fixture.Replicas.StartAsync(victim);
        }
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_cut_off_as_a_slow_consumer_then_resumes_with_everything()
    {
        var user = $"slow-{Guid.NewGuid():N}";
        var publisher = new SteadyPublisher(fixture.Api.BaseAddress, await fixture.Api.TokenAsync($"publisher-{Guid.NewGuid():N}", "publisher"));
        await using var slow = await ClientProbe.StartAsync(fixture.Api, user, consume: false, maxBuffered: 4);

        // Large messages fill the kernel buffers, then the server's queue for this client; the server cuts it off,
        // and once the close handshake times out it lets go of the user (nobody else holds its channel).
        await publisher.PublishUntilAsync(user, async () => await fixture.SubscribersAsync($"aspirenotify:user:{user}") == 0,
            max: 2_000, TimeSpan.FromMilliseconds(50), payloadBytes: 64 * 1024);
        Assert.Equal(0, await fixture.SubscribersAsync($"aspirenotify:user:{user}"));
        Assert.DoesNotContain(slow.Changes, change => change.State == Notifications.Client.ConnectionState.Reconnecting);

        slow.StartConsuming();
        var expected = publisher.Acknowledged;
        await slow.WaitUntilAsync("every message", probe => probe.OfOwnStream().Count >= expected.Count);
        Assert.Contains(slow.Changes, change => change.State == Notifications.Client.ConnectionState.Reconnecting);
        Assert.Equal(expected.Select(a => a.Seq), slow.OfOwnStream().Select(n => n.Seq));
        Assert.Equal(expected.Select(a => a.Id), slow.OfOwnStream().Select(n => n.Id));
    }

    [Fact]
    public async Task A_client_resuming_from_before_the_history_is_told_recovered_false_and_carries_on()
    {
        var user = $"away-{Guid.NewGuid():N}";
        var publisher = new SteadyPublisher(fixture.Api.BaseAddress, await fixture.Api.TokenAsync($"publisher-{Guid.NewGuid():N}", "publisher"));
        Notifications.Client.ResumePoint saved;
        await using (var before = await ClientProbe.StartAsync(fixture.Api, user))
        {
            saved = before.Client.ResumePoint!;
        }

        await publisher.PublishAsync([user], AppHostFixture.HistoryMaxCount + 10, TimeSpan.FromMilliseconds(1));
        await using var after = await ClientProbe.StartAsync(fixture.Api, user, resumeFrom: saved);
        await after.WaitUntilAsync("the resume outcome", probe => probe.Resumes.Count > 0);

        var outcome = Assert.Single(after.Resumes);
        Assert.False(outcome.Recovered);
        Assert.Equal("history_trimmed", outcome.Reason);
        Assert.Equal([$"user:{user}"], outcome.Streams);

        await publisher.PublishAsync([user], 1, TimeSpan.FromMilliseconds(1));
        await after.WaitUntilAsync("the next live message", probe => probe.OfOwnStream().Count == 1);
        Assert.Equal(publisher.Acknowledged[^1].Seq, after.OfOwnStream()[0].Seq);
    }
}

[Collection(GarnetAppHost.Name)]
public sealed class GarnetFaultTests(GarnetAppHostFixture fixture) : FaultTests<GarnetAppHostFixture>(fixture);

[Collection(ClusterAppHost.Name)]
public sealed class ClusterFaultTests(ClusterAppHostFixture fixture) : FaultTests<ClusterAppHostFixture>(fixture);

[Collection(RedisServerAppHost.Name)]
public sealed class RedisServerFaultTests(RedisServerAppHostFixture fixture) : FaultTests<RedisServerAppHostFixture>(fixture)
{
    /// <summary>Needs a backplane that keeps what it acknowledged across a restart, as production Redis with AOF does.</summary>
    [Fact]
    public async Task Redis_stopped_for_a_few_seconds_mid_stream_refuses_publishes_then_loses_nothing()
    {
        await using var scenario = await FaultScenario.StartAsync(Fixture);
        var publishing = scenario.Publisher.PublishAsync(scenario.Users, 150, TimeSpan.FromMilliseconds(20));
        await scenario.Publisher.WhenAcknowledged(50);
        await Fixture.StopBackplaneAsync();
        try
        {
            await Eventually.UntilAsync("publishes to be refused while Redis is down", _ => Task.FromResult(scenario.Publisher.Refusals >= 5));
        }
        finally
        {
            await Fixture.StartBackplaneAsync();
        }

        await publishing;
        await scenario.AssertEveryClientHasEverythingAsync();
        Assert.All(scenario.Probes, probe => Assert.DoesNotContain(probe.Resumes, resume => !resume.Recovered));
    }
}
