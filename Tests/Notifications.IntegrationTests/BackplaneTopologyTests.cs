using System.Net;
using Notifications.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Notifications.IntegrationTests;

/// <summary>
/// <c>dotnet run --project AppHost -- Backplane:Host=Sentinel|Cluster</c>: the AppHost starts the topology from Debian's
/// redis-server and redis-sentinel, every API replica starts on it and is told its shape, and a primary killed with
/// SIGKILL is replaced by its replica, then rejoins as a replica once Aspire starts it again.
/// </summary>
public abstract class BackplaneTopologyTests<TFixture>(TFixture fixture)
    where TFixture : TopologyAppHostFixture
{
    private static readonly TimeSpan RejoinTimeout = TimeSpan.FromSeconds(90);

    protected TFixture Fixture => fixture;

    protected BackplaneNodes Nodes => fixture.Nodes;

    /// <summary>Asked of each replica itself: Aspire checks a healthy resource only every 30 seconds.</summary>
    [Fact]
    public async Task Every_API_replica_is_told_the_topology_and_reports_healthy()
    {
        Assert.Equal(AppHostFixture.ReplicaCount, fixture.Replicas.Nodes.Count);
        foreach (var node in fixture.Replicas.Nodes)
        {
            var replica = await fixture.App.ResourceNotifications.WaitForResourceAsync(ServiceNames.Api, update => update.ResourceId == node);
            Assert.Contains(replica.Snapshot.EnvironmentVariables,
                variable => variable is { Name: "Backplane__Topology" } && variable.Value == Nodes.Topology.ToString());

            using var http = await fixture.Api.PinnedToAsync(node);
            await Eventually.UntilAsync($"{node} to report healthy", async token =>
            {
                using var health = await http.GetAsync("/health", token);
                return health.StatusCode == HttpStatusCode.OK;
            });
        }
    }

    [Fact]
    public async Task The_connection_string_reaches_the_backplane()
    {
        var key = (RedisKey)$"topology-test:{Guid.NewGuid():N}";
        var database = fixture.Redis.GetDatabase();
        // Primaries refuse writes until a replica follows them again after an earlier test's failover.
        await Nodes.WaitUntilSteadyAsync(RejoinTimeout);

        Assert.True(await database.StringSetAsync(key, "written", TimeSpan.FromMinutes(1)));
        Assert.Equal("written", await database.StringGetAsync(key));
    }

    [Fact]
    public async Task A_primary_killed_with_SIGKILL_is_replaced_by_its_replica_and_rejoins_as_a_replica()
    {
        // A node killed by an earlier test of the collection may still be rejoining.
        await Nodes.WaitUntilSteadyAsync(RejoinTimeout);
        var primary = await Nodes.PrimaryAsync(TopologyAppHostFixture.FailoverKey);
        var replica = await Eventually.UntilAsync($"{primary}'s replica to be listed",
            async _ => await Nodes.ReplicasOfAsync(primary) is [var only] ? only : null);
        Assert.True(await Nodes.InSyncAsync(replica), $"{replica} is not in sync with {primary}.");

        await fixture.StopBackplaneAsync();
        try
        {
            // Sentinels that just failed over wait 2 × failover-timeout before the next one, and an election lost on a
            // loaded machine is retried only after that too.
            await Eventually.UntilAsync($"{replica} to serve in place of {primary}",
                async _ => await Nodes.PrimaryAsync(TopologyAppHostFixture.FailoverKey) == replica, RejoinTimeout);
            await Eventually.UntilAsync($"{replica} to take the master role", async _ => await Nodes.RoleAsync(replica) == "master");
            await AfterFailoverAsync(primary);
        }
        finally
        {
            await fixture.StartBackplaneAsync();
        }

        await Eventually.UntilAsync($"{primary} to rejoin as a replica of {replica}, in sync",
            async _ => await Nodes.InSyncAsync(primary) && (await Nodes.ReplicasOfAsync(replica)).Contains(primary), RejoinTimeout);
    }

    /// <summary>What else must hold once the replica has taken over, before the killed node is started again.</summary>
    protected virtual Task AfterFailoverAsync(string killed) => Task.CompletedTask;
}

[Collection(SentinelAppHost.Name)]
public sealed class SentinelBackplaneTopologyTests(SentinelAppHostFixture fixture) : BackplaneTopologyTests<SentinelAppHostFixture>(fixture);

[Collection(ClusterAppHost.Name)]
public sealed class ClusterBackplaneTopologyTests(ClusterAppHostFixture fixture) : BackplaneTopologyTests<ClusterAppHostFixture>(fixture)
{
    [Fact]
    public async Task Three_primaries_each_with_a_replica_serve_every_slot()
    {
        var primaries = new List<string>();
        foreach (var node in Nodes.Servers)
        {
            Assert.True(await Nodes.ClusterOkAsync(node), $"{node} does not see the cluster ok.");
            if (await Nodes.RoleAsync(node) == "master")
            {
                primaries.Add(node);
            }
        }

        Assert.Equal(3, primaries.Count);
        foreach (var primary in primaries)
        {
            Assert.Single(await Nodes.ReplicasOfAsync(primary));
        }
    }

    /// <summary>Every slot is served again: the nodes still up see the cluster ok.</summary>
    protected override async Task AfterFailoverAsync(string killed)
    {
        foreach (var node in Nodes.Servers.Where(node => node != killed))
        {
            await Eventually.UntilAsync($"{node} to see the cluster ok", async _ => await Nodes.ClusterOkAsync(node));
        }
    }
}
