using Notifications.IntegrationTests.Infrastructure;
using StackExchange.Redis;

namespace Notifications.IntegrationTests;

/// <summary>
/// Resharding while publishing: the slot of a user's stream moves to another primary mid-stream, the way
/// <c>redis-cli --cluster reshard</c> moves it (importing and migrating, keys moved with MIGRATE, the new owner told
/// first). Publishes meanwhile may be refused and are retried; every 202 still reaches every connection once and in
/// order, because the client library follows the move for the publish script and for the sharded subscriptions.
/// </summary>
[Collection(ClusterAppHost.Name)]
public sealed class ClusterSlotMigrationTests(ClusterAppHostFixture fixture)
{
    private const int Messages = 150;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan SteadyTimeout = TimeSpan.FromSeconds(90);

    private BackplaneNodes Nodes => fixture.Nodes;

    [Fact]
    public async Task A_stream_s_slot_moved_to_another_primary_mid_stream_loses_no_acknowledged_message()
    {
        // A node killed by an earlier test of the collection may still be catching up with its primary.
        await Nodes.WaitUntilSteadyAsync(SteadyTimeout);
        await using var scenario = await FaultScenario.StartAsync(fixture);
        var key = "{" + Streams.ForUser(scenario.Users[0]) + "}";
        var source = await Nodes.PrimaryAsync(key);
        var primaries = await PrimariesAsync();
        var destination = primaries.First(primary => primary != source);
        var slot = (long)await Nodes.ExecuteAsync(source, "CLUSTER", "KEYSLOT", key);

        var publishing = scenario.Publisher.PublishAsync(scenario.Users, Messages, Interval);
        await scenario.Publisher.WhenAcknowledged(Messages / 3);
        await MoveSlotAsync(slot, source, destination, primaries);
        await publishing;

        await scenario.AssertEveryClientHasEverythingAsync();
        Assert.All(scenario.Probes, probe => Assert.DoesNotContain(probe.Resumes, resume => !resume.Recovered));
        Assert.Equal(destination, await Nodes.PrimaryAsync(key));
    }

    private async Task<List<string>> PrimariesAsync()
    {
        var primaries = new List<string>();
        foreach (var server in Nodes.Servers)
        {
            if (await Nodes.RoleAsync(server) == "master")
            {
                primaries.Add(server);
            }
        }

        return primaries;
    }

    /// <summary>The steps of <c>redis-cli --cluster reshard</c> for one slot.</summary>
    private async Task MoveSlotAsync(long slot, string source, string destination, IReadOnlyList<string> primaries)
    {
        var sourceId = (string)(await Nodes.ExecuteAsync(source, "CLUSTER", "MYID"))!;
        var destinationId = (string)(await Nodes.ExecuteAsync(destination, "CLUSTER", "MYID"))!;
        await Nodes.ExecuteAsync(destination, "CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId);
        await Nodes.ExecuteAsync(source, "CLUSTER", "SETSLOT", slot, "MIGRATING", destinationId);
        while ((RedisResult[])(await Nodes.ExecuteAsync(source, "CLUSTER", "GETKEYSINSLOT", slot, 100))! is { Length: > 0 } keys)
        {
            await Nodes.ExecuteAsync(source, "MIGRATE", ["127.0.0.1", Nodes.PortOf(destination), "", 0, 5000, "AUTH", Nodes.Password, "KEYS",
                .. keys.Select(found => (object)(string)found!)]);
        }

        // The new owner first, then the old one (which then unsubscribes its sharded subscribers), then the others.
        foreach (var primary in primaries.OrderBy(p => p == destination ? 0 : p == source ? 1 : 2))
        {
            await Nodes.ExecuteAsync(primary, "CLUSTER", "SETSLOT", slot, "NODE", destinationId);
        }
    }
}
