using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using AspireNotify.Bench.Targets;
using Notifications.Processes;
using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios;

/// <summary>
/// Per-user latency: M users over the replicas, a publisher at R messages/s to random users through HTTP, one message
/// per request or (<c>--batch N</c>) N per batch request; with what the replicas and Redis spent per delivery.
/// </summary>
internal static class LatencyScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var (replicas, users, rate, duration) = (options.Count("replicas", 3), options.Count("users", 1000), options.Number("rate", 2000), options.Seconds("duration", 30));
        var batch = options.Count("batch", 1);
        var result = new ScenarioResult("latency", new Dictionary<string, string>
        {
            ["replicas"] = $"{replicas}", ["users"] = $"{users}", ["rate"] = $"{rate}/s", ["duration"] = $"{duration.TotalSeconds} s",
            ["batch"] = batch == 1 ? "none (one message per request)" : $"{batch} messages per request",
        });
        await using var cluster = await BenchCluster.StartAsync(replicas);
        using var sources = new SourceAddresses(options.Count("sources", 2));
        var recorder = new LatencyRecorder();
        var sockets = await Connect.SpreadAsync(cluster, users, "lat", sources, recorder);
        using var publisher = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress));

        Task PublishAsync(TimeSpan window, Action<long>? onSecond = null) => batch == 1
            ? publisher.RunAsync(rate, window, random => $"/api/notifications/users/lat-{random.Next(users)}", onSecond)
            : publisher.RunBatchesAsync(rate, batch, window, random => $"lat-{random.Next(users)}", onSecond);
        await PublishAsync(TimeSpan.FromSeconds(Math.Min(3, duration.TotalSeconds / 5)));
        recorder.Clear();
        var warmUp = publisher.Accepted;
        var (apiCpu, redisCpu) = (CpuSnapshot.Take([.. cluster.Replicas.Select(r => r.Process.Id)]), CpuSnapshot.Take([cluster.Redis.ProcessId]));
        await PublishAsync(duration, second => Console.WriteLine($"  {second} s: {publisher.Accepted - warmUp:N0} accepted"));
        await Connect.DrainAsync(() => recorder.Summarize().Count, publisher.Accepted - warmUp, TimeSpan.FromSeconds(10));
        var (apiSeconds, redisSeconds) = (apiCpu.SecondsSince().Sum(), redisCpu.SecondsSince().Sum());

        var latency = recorder.Summarize();
        result.Add("messages accepted", publisher.Accepted - warmUp, "")
            .Add("publish errors", publisher.Failed, "")
            .Add("deliveries", latency.Count, "")
            .Add("deliveries per second", latency.Count / duration.TotalSeconds, "/s")
            .Add("API CPU, all replicas", apiSeconds, "s")
            .Add("API CPU per delivery", latency.Count == 0 ? 0 : apiSeconds / latency.Count * 1e6, "µs")
            .Add("deliveries per API core-second", apiSeconds == 0 ? 0 : latency.Count / apiSeconds, "/s")
            .Add("Redis CPU per delivery", latency.Count == 0 ? 0 : redisSeconds / latency.Count * 1e6, "µs")
            .Add("latency p50", latency.P50, "ms")
            .Add("latency p95", latency.P95, "ms")
            .Add("latency p99", latency.P99, "ms", "<= 10 ms at 2,000/s", latency.P99 <= 10)
            .Add("latency max", latency.Max, "ms");
        await Connect.CloseAllAsync(sockets);
        return result;
    }
}
