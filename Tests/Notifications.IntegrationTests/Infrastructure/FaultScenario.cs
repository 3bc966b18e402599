using Notifications.Client;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>Users with clients on every replica, and a publisher for them.</summary>
public sealed class FaultScenario : IAsyncDisposable
{
    private const int UserCount = 3;
    private const int MaxClients = 30;

    private FaultScenario(List<ClientProbe> probes, SteadyPublisher publisher, string[] users) =>
        (Probes, Publisher, Users) = (probes, publisher, users);

    public List<ClientProbe> Probes { get; }

    public SteadyPublisher Publisher { get; }

    public string[] Users { get; }

    public static Task<FaultScenario> StartAsync(AppHostFixture fixture, NotificationTransport transport = NotificationTransport.WebSocket) =>
        StartAsync(fixture.Api, AppHostFixture.ReplicaCount, transport);

    /// <summary>Clients of a few users, through <paramref name="api"/>, until every one of <paramref name="replicas"/> holds some.</summary>
    public static async Task<FaultScenario> StartAsync(NotificationsApi api, int replicas, NotificationTransport transport = NotificationTransport.WebSocket)
    {
        var users = Enumerable.Range(0, UserCount).Select(i => $"fault{i}-{Guid.NewGuid():N}").ToArray();
        var probes = new List<ClientProbe>();
        for (var i = 0; probes.Count < 2 * UserCount || probes.Select(p => p.Node).Distinct().Count() < replicas; i++)
        {
            Assert.True(i < MaxClients, "The clients never covered every replica.");
            probes.Add(await ClientProbe.StartAsync(api, users[i % UserCount], transport: transport));
        }

        var token = await api.TokenAsync($"publisher-{Guid.NewGuid():N}", TokenClaims.PublisherRole);
        return new FaultScenario(probes, new SteadyPublisher(api.BaseAddress, token), users);
    }

    public string BusiestNode() => Probes.GroupBy(p => p.Node).OrderByDescending(g => g.Count()).First().Key;

    /// <summary>Every client has every acknowledged message of its user's stream, once, in seq order.</summary>
    public async Task AssertEveryClientHasEverythingAsync()
    {
        var acknowledged = Publisher.Acknowledged;
        foreach (var probe in Probes)
        {
            var expected = acknowledged.Where(a => a.UserId == probe.UserId).OrderBy(a => a.Seq).ToList();
            await probe.WaitUntilAsync($"all {expected.Count} acknowledged messages", p => p.OfOwnStream().Count >= expected.Count);
            var received = probe.OfOwnStream();
            Assert.Equal(expected.Select(a => a.Id), received.Select(n => n.Id));
            Assert.Equal(expected.Select(a => a.Seq), received.Select(n => n.Seq));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var probe in Probes)
        {
            await probe.DisposeAsync();
        }
    }
}
