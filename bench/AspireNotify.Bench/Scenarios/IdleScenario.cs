using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;
using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios;

/// <summary>Idle capacity: N authenticated connections held on one replica; its memory per connection.</summary>
internal static class IdleScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var connections = options.Count("connections", 10_000);
        var result = new ScenarioResult("idle", new Dictionary<string, string> { ["connections"] = $"{connections}", ["replicas"] = "1" });
        await using var cluster = await BenchCluster.StartAsync(1);
        var replica = cluster.Replicas[0];
        using var sources = new SourceAddresses(options.Count("sources", 4));
        var before = await replica.SettledHealthAsync();

        var clock = Stopwatch.StartNew();
        var sockets = await Connect.SpreadAsync(cluster, connections, "idle", sources, new LatencyRecorder());
        var connectSeconds = clock.Elapsed.TotalSeconds;
        var after = await replica.SettledHealthAsync();
        var perConnectionWorkingSet = (after.WorkingSetBytes - before.WorkingSetBytes) / (double)connections / 1024;
        var perConnectionHeap = (after.GcHeapBytes - before.GcHeapBytes) / (double)connections / 1024;

        result.Add("connections held by the replica", after.Connections, "")
            .Add("connect rate", connections / connectSeconds, "connections/s")
            .Add("working set before", before.WorkingSetBytes / 1048576.0, "MiB")
            .Add("working set after", after.WorkingSetBytes / 1048576.0, "MiB")
            .Add("working set per connection", perConnectionWorkingSet, "KiB", "<= 8 KiB", perConnectionWorkingSet <= 8)
            .Add("GC heap before", before.GcHeapBytes / 1048576.0, "MiB")
            .Add("GC heap after", after.GcHeapBytes / 1048576.0, "MiB")
            .Add("GC heap per connection", perConnectionHeap, "KiB", "<= 8 KiB", perConnectionHeap <= 8);
        // --hold keeps the connections open for a while, to look at the replica with dotnet-gcdump or dotnet-counters.
        var hold = options.Seconds("hold", 0);
        if (hold > TimeSpan.Zero)
        {
            Console.WriteLine($"  holding {connections:N0} connections for {hold.TotalSeconds} s; replica process id {replica.Process.Id}");
            await Task.Delay(hold);
        }

        await Connect.CloseAllAsync(sockets);
        return result;
    }
}
