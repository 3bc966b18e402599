using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;
using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios;

/// <summary>Soak: a steady mix of per-user messages and broadcasts; memory and connections sampled to show nothing grows.</summary>
internal static class SoakScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var (replicas, connections, duration, sample) = (options.Count("replicas", 2), options.Count("connections", 2000),
            options.Seconds("duration", 1800), options.Seconds("sample", 10));
        var (userRate, broadcastRate) = (options.Number("rate", 200), options.Number("broadcast-rate", 1));
        var result = new ScenarioResult("soak", new Dictionary<string, string>
        {
            ["replicas"] = $"{replicas}", ["connections"] = $"{connections}", ["duration"] = $"{duration.TotalMinutes:0.#} min",
            ["user rate"] = $"{userRate}/s", ["broadcast rate"] = $"{broadcastRate}/s",
        });
        await using var cluster = await BenchCluster.StartAsync(replicas);
        using var sources = new SourceAddresses(2);
        var recorder = new LatencyRecorder();
        var sockets = await Connect.SpreadAsync(cluster, connections, "soak", sources, recorder);
        using var users = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress));
        using var broadcasts = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress), maxInFlight: 8);

        var samples = new List<(double Seconds, int Replica, double WorkingSetMiB, double HeapMiB, int Connections)>();
        var clock = Stopwatch.StartNew();
        var load = Task.WhenAll(
            users.RunAsync(userRate, duration, random => $"/api/notifications/users/soak-{random.Next(connections)}"),
            broadcasts.RunAsync(broadcastRate, duration, _ => "/api/notifications/broadcast"));
        while (!load.IsCompleted)
        {
            foreach (var replica in cluster.Replicas)
            {
                var health = await replica.HealthAsync();
                samples.Add((clock.Elapsed.TotalSeconds, replica.Index, health.WorkingSetBytes / 1048576.0, health.GcHeapBytes / 1048576.0, health.Connections));
            }

            Console.WriteLine($"  {clock.Elapsed:mm\\:ss} working sets {string.Join(" / ", samples.TakeLast(replicas).Select(s => $"{s.WorkingSetMiB:0.0} MiB"))}, " +
                              $"{users.Accepted + broadcasts.Accepted:N0} published, {sockets.Sum(s => s.Received):N0} delivered");
            await Task.WhenAny(load, Task.Delay(sample));
        }

        await load;
        var latency = recorder.Summarize();
        result.Add("messages published", users.Accepted + broadcasts.Accepted, "")
            .Add("publish errors", users.Failed + broadcasts.Failed, "")
            .Add("deliveries", latency.Count, "")
            .Add("latency p99", latency.P99, "ms");
        foreach (var replica in cluster.Replicas)
        {
            // The first fifth is warm-up (JIT, pools, caches); after it, the working set should not trend upward.
            var steady = samples.Where(s => s.Replica == replica.Index && s.Seconds >= duration.TotalSeconds / 5).ToList();
            var slope = Trend.Slope(steady.Select(s => (s.Seconds / 60, s.WorkingSetMiB)).ToList());
            result.Add($"replica {replica.Index} working set after warm-up, min", steady.Count > 0 ? steady.Min(s => s.WorkingSetMiB) : 0, "MiB")
                .Add($"replica {replica.Index} working set after warm-up, max", steady.Count > 0 ? steady.Max(s => s.WorkingSetMiB) : 0, "MiB")
                .Add($"replica {replica.Index} working set trend", slope, "MiB/min", "no upward trend (<= 0.5 MiB/min)", slope <= 0.5);
        }

        result.Series["samples"] = samples.Select(s => new { seconds = Math.Round(s.Seconds), replica = s.Replica, workingSetMiB = Math.Round(s.WorkingSetMiB, 1),
            gcHeapMiB = Math.Round(s.HeapMiB, 1), connections = s.Connections }).ToList();
        await Connect.CloseAllAsync(sockets);
        return result;
    }
}
