using Notifications.Client;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// The fault tests of <see cref="FaultTests{TFixture}"/> with every client on Server-Sent Events through the AppHost:
/// a replica killed or stopped mid-stream, its clients reconnect with <c>Last-Event-ID</c> to the others, and each
/// holds every acknowledged message of its stream exactly once, in order.
/// </summary>
[Collection(GarnetAppHost.Name)]
public sealed class ServerSentEventsFaultTests(GarnetAppHostFixture fixture)
{
    private const int Messages = 150;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    [Fact]
    public async Task A_replica_killed_mid_stream_loses_no_acknowledged_message_of_an_event_stream()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture, NotificationTransport.ServerSentEvents);
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
            await RestartAsync(victim);
        }
    }

    [Fact]
    public async Task A_replica_stopped_gracefully_ends_its_event_streams_with_1012_and_they_resume_with_nothing_lost()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture, NotificationTransport.ServerSentEvents);
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
            Assert.All(onVictim, probe => Assert.All(probe.Resumes, resume => Assert.True(resume.Recovered)));
        }
        finally
        {
            await RestartAsync(victim);
        }
    }

    /// <summary>Started again, and reached through the AppHost's proxy, so the next scenario can cover every replica.</summary>
    private async Task RestartAsync(string victim)
    {
        await fixture.Replicas.StartAsync(victim);
        await Eventually.UntilAsync("the proxy to reach the restarted replica", async _ =>
        {
            using var http = fixture.Api.NewClient();
            return await NotificationsApi.NodeOfAsync(http) == victim;
        }, TimeSpan.FromSeconds(60));
    }
}
