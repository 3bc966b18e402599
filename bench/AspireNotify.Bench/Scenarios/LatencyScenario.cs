using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;
using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios;

/// <summary>Per-user latency: M users over the replicas, a publisher at R messages/s to random users through HTTP.</summary>
internal static class LatencyScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var (replicas, users, rate, duration) = (options.Count("replicas", 3), options.Count("users", 1000), options.Number("rate", 2000), options.Seconds("duration", 30));
        var result = new ScenarioResult("latency", new Dictionary<string, string>
        {
            ["replicas"] = $"{replicas}", ["users"] = $"{users}", ["rate"] = $"{rate}/s", ["duration"] = $"{duration.TotalSeconds} s",
        });
        await using var cluster = await BenchCluster.StartAsync(replicas);
        using var sources = new SourceAddresses(options.Count("sources", 2));
        var recorder = new LatencyRecorder();
        var sockets = await Connect.SpreadAsync(cluster, users, "lat", sources, recorder);
        using var publisher = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress));

        string RandomUser(Random random) => $"/api/notifications/users/lat-{random.Next(users)}";
        await publisher.RunAsync(rate, TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds / 5)), RandomUser);
        recorder.Clear();
        var warmUp = publisher.Accepted;
        await publisher.RunAsync(rate, duration, RandomUser, second => Console.WriteLine($"  {second} s: {publisher.Accepted - warmUp:N0} accepted"));
        await Connect.DrainAsync(() => recorder.Summarize().Count, publisher.Accepted - warmUp, TimeSpan.FromSeconds(10));

        var latency = recorder.Summarize();
        result.Add("messages accepted", publisher.Accepted - warmUp, "")
            .Add("publish errors", publisher.Failed, "")
            .Add("deliveries", latency.Count, "")
            .Add("deliveries per second", latency.Count / duration.TotalSeconds, "/s")
            .Add("latency p50", latency.P50, "ms")
            .Add("latency p95", latency.P95, "ms")
            .Add("latency p99", latency.P99, "ms", "<= 10 ms at 2,000/s", latency.P99 <= 10)
            .Add("latency max", latency.Max, "ms");
        await Connect.CloseAllAsync(sockets);
        return result;
    }
}
