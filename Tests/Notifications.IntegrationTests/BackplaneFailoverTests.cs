using Notifications.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Notifications.IntegrationTests;

/// <summary>
/// Issue 13's checker on a topology that fails over: a steady numbered stream of publishes to users whose clients are
/// spread over the three API replicas, the Redis primary of a user's stream killed with SIGKILL mid-stream, its replica
/// promoted. Publishes meanwhile answer 503 and are retried (with their idempotency key); at the end every message
/// acknowledged with 202 has reached every connection of its user exactly once and in order, and no stream changed
/// epoch (the promoted replica had everything acknowledged: <c>MinReplicasToAcknowledge</c> is 1).
/// </summary>
public abstract class BackplaneFailoverTests<TFixture>(TFixture fixture, ITestOutputHelper output)
    where TFixture : TopologyAppHostFixture
{
    private const int Messages = 150;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan FailoverTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan SteadyTimeout = TimeSpan.FromSeconds(90);

    protected TFixture Fixture => fixture;

    [Fact]
    public async Task The_primary_killed_mid_stream_fails_over_and_no_acknowledged_message_is_lost()
    {
        // A node killed by an earlier test of the collection may still be catching up with its primary.
        await fixture.Nodes.WaitUntilSteadyAsync(SteadyTimeout);
        await using var scenario = await FaultScenario.StartAsync(fixture);
        var streamKey = StreamKey(scenario.Users[0]);
        var victim = await fixture.Nodes.PrimaryAsync(streamKey);
        var publishing = scenario.Publisher.PublishAsync(scenario.Users, Messages, Interval);
        await scenario.Publisher.WhenAcknowledged(Messages / 3);

        await fixture.Nodes.KillAsync(victim);
        try
        {
            var promoted = await Eventually.UntilAsync($"a replica of {victim} to be promoted", async _ =>
                await fixture.Nodes.PrimaryAsync(streamKey) is var primary && primary != victim ? primary : null, FailoverTimeout);
            await Eventually.UntilAsync($"{promoted} to take the master role", async _ => await fixture.Nodes.RoleAsync(promoted) == "master");
        }
        finally
        {
            // With one replica per primary, the promoted one has nobody to acknowledge its writes until this one is back.
            await fixture.Nodes.StartAsync(victim);
        }

        await publishing;
        await scenario.AssertEveryClientHasEverythingAsync();
        output.WriteLine($"{victim} killed: {scenario.Publisher.Acknowledged.Count} messages acknowledged, all delivered to " +
            $"{scenario.Probes.Count} connections once and in order; {scenario.Publisher.Refusals} publishes refused meanwhile.");
        Assert.True(scenario.Publisher.Refusals > 0, "No publish was refused while the primary was gone.");
        Assert.All(scenario.Probes, probe => Assert.DoesNotContain(probe.Resumes, resume => !resume.Recovered));
        await fixture.Nodes.WaitUntilSteadyAsync(SteadyTimeout);
    }

    /// <summary>Every key of a user's stream carries the stream as hash tag: this one lands on the same primary.</summary>
    protected static RedisKey StreamKey(string user) => "{" + Streams.ForUser(user) + "}";
}

[Collection(SentinelAppHost.Name)]
public sealed class SentinelFailoverTests(SentinelAppHostFixture fixture, ITestOutputHelper output)
    : BackplaneFailoverTests<SentinelAppHostFixture>(fixture, output);

[Collection(ClusterAppHost.Name)]
public sealed class ClusterFailoverTests(ClusterAppHostFixture fixture, ITestOutputHelper output)
    : BackplaneFailoverTests<ClusterAppHostFixture>(fixture, output);
