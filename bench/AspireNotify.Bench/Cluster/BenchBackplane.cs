using Notifications.Processes;

namespace AspireNotify.Bench.Cluster;

/// <summary>
/// One Redis deployment the <c>backplane</c> scenario measures and the API settings that go with it. Every server runs
/// as <see cref="BenchCluster.RedisOptions"/> says (no persistence), so what differs is only the topology.
/// </summary>
/// <param name="Name">How the tables call it.</param>
/// <param name="Start">A new, not yet started deployment.</param>
/// <param name="Settings">Environment variables for every API replica.</param>
/// <param name="Sharded">Whether the API uses sharded channels here (<c>Backplane:Topology=Cluster</c>).</param>
/// <param name="Wait">The replicas each publish waits for (<c>Backplane:MinReplicasToAcknowledge</c>).</param>
public sealed record BenchBackplane(string Name, Func<IRedisDeployment> Start, IReadOnlyDictionary<string, string> Settings, bool Sharded, int Wait)
{
    /// <summary>
    /// <c>--topology</c> names: <c>standalone</c> (one server, classic PUBLISH), <c>cluster</c> (N primaries without
    /// replicas, SPUBLISH; nothing to WAIT for), <c>replicated</c> (a primary and one replica, once per <c>--wait</c>
    /// value of <c>Backplane:MinReplicasToAcknowledge</c>).
    /// </summary>
    public static IEnumerable<BenchBackplane> Parse(IEnumerable<string> topologies, IReadOnlyList<int> waits, int primaries) =>
        topologies.SelectMany(topology => topology switch
        {
            "standalone" => [Standalone()],
            "cluster" => [Cluster(primaries)],
            "replicated" => waits.Select(Replicated),
            _ => throw new ArgumentException($"Unknown topology '{topology}': standalone, cluster or replicated."),
        });

    private static BenchBackplane Standalone() =>
        new("standalone", () => new RedisServerProcess(BenchCluster.RedisOptions), new Dictionary<string, string>(), Sharded: false, Wait: 0);

    private static BenchBackplane Cluster(int primaries) =>
        new($"cluster of {primaries}", () => new RedisClusterServers(primaries, replicasPerPrimary: 0, BenchCluster.RedisOptions),
            new Dictionary<string, string>
            {
                ["Backplane__Topology"] = "Cluster",
                // No replicas here: this measures sharded pub/sub, and WAIT is measured on its own (replicated).
                ["Backplane__MinReplicasToAcknowledge"] = "0",
            }, Sharded: true, Wait: 0);

    /// <summary>
    /// Topology stays Standalone: Sentinel would only change the default of the setting given here, and the API reaches
    /// the primary through the servers' addresses as it would through the sentinels.
    /// </summary>
    private static BenchBackplane Replicated(int wait) =>
        new($"primary + replica, WAIT {wait}", () => new RedisReplicatedServers(replicas: 1, BenchCluster.RedisOptions),
            new Dictionary<string, string> { ["Backplane__MinReplicasToAcknowledge"] = $"{wait}" }, Sharded: false, Wait: wait);
}
