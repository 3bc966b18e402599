using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;
using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios;

/// <summary>Broadcast fan-out: N connections over the replicas, broadcasts at R/s.</summary>
internal static class BroadcastScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var (replicas, connections, rate, duration) = (options.Count("replicas", 3), options.Count("connections", 10_000), options.Number("rate", 10), options.Seconds("duration", 30));
        var result = new ScenarioResult("broadcast", new Dictionary<string, string>
        {
            ["replicas"] = $"{replicas}", ["connections"] = $"{connections}", ["rate"] = $"{rate}/s", ["duration"] = $"{duration.TotalSeconds} s",
        });
        await using var cluster = await BenchCluster.StartAsync(replicas);
        using var sources = new SourceAddresses(options.Count("sources", 4));
        var recorder = new LatencyRecorder();
        var sockets = await Connect.SpreadAsync(cluster, connections, "fan", sources, recorder);
        using var publisher = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress), maxInFlight: 32);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await publisher.RunAsync(rate, duration, _ => "/api/notifications/broadcast",
            second => Console.WriteLine($"  {second} s: {sockets.Sum(s => s.Received):N0} delivered"));
        var expected = publisher.Accepted * connections;
        await Connect.DrainAsync(() => sockets.Sum(s => s.Received), expected, TimeSpan.FromSeconds(30));
        // Until the last delivery, not the last publish: a backlog that drains afterwards does not count as sustained.
        var elapsed = clock.Elapsed.TotalSeconds;

        var latency = recorder.Summarize();
        var perSecond = latency.Count / elapsed;
        result.Add("broadcasts accepted", publisher.Accepted, "")
            .Add("deliveries expected", expected, "")
            .Add("deliveries", latency.Count, "")
            .Add("deliveries per second", perSecond, "/s", ">= 100,000/s to 10,000", perSecond >= 100_000)
            .Add("latency p50", latency.P50, "ms")
            .Add("latency p95", latency.P95, "ms")
            .Add("latency p99", latency.P99, "ms", "<= 250 ms", latency.P99 <= 250)
            .Add("latency max", latency.Max, "ms");
        await Connect.CloseAllAsync(sockets);
        return result;
    }
}
