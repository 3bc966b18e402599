using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Compare;

/// <summary>
/// Per-user delivery: U users with C connections each, a user's connections spread over the instances, an open-loop
/// publisher at R/s to random users through every instance's HTTP API; server CPU and end-to-end latency.
/// </summary>
internal static class CompareLatency
{
    public static ComparedScenario Define(BenchOptions options)
    {
        var (instances, users, perUser) = (options.Count("instances", 2), options.Count("users", 1000), options.Count("per-user", 2));
        var (rate, duration, warmUp) = (options.Number("rate", 1000), options.Seconds("duration", 10), options.Seconds("warm-up-seconds", 10));
        return new ComparedScenario("latency", new Dictionary<string, string>
        {
            ["instances"] = $"{instances}", ["users"] = $"{users}", ["connections per user"] = $"{perUser}", ["rate"] = $"{rate}/s",
            ["duration"] = $"{duration.TotalSeconds} s", ["warm-up"] = $"{warmUp.TotalSeconds} s",
        }, instances, target => MeasureAsync(target, users, perUser, rate, duration, warmUp));
    }

    private static async Task<List<ComparedFigure>> MeasureAsync(BenchTarget target, int users, int perUser, double rate, TimeSpan duration,
        TimeSpan warmUp)
    {
        using var sources = new SourceAddresses(4);
        var recorder = new LatencyRecorder();
        var sockets = await Connect.SpreadAsync(target.Protocol, target.Instances, users * perUser, i => $"lat-{i / perUser}", sources, recorder);
        await CompareScenario.HeldAsync(target, users * perUser);
        using var publisher = new LoadPublisher(target.Instances);
        string RandomUser(Random random) => $"/api/notifications/users/lat-{random.Next(users)}";
        // A warm-up at the measured rate, so first-use costs (JIT and tiering, pools, Redis subscriptions) count in neither
        // CPU nor latency: on two busy cores .NET's tiered compilation was still a sixth of the server's CPU 2 s in.
        await publisher.RunAsync(rate, warmUp, RandomUser);
        await Task.Delay(TimeSpan.FromSeconds(1));
        recorder.Clear();
        var (acceptedBefore, failedBefore, receivedBefore) = (publisher.Accepted, publisher.Failed, sockets.Sum(s => s.Received));

        var cpu = CpuSpent.Since(target);
        await publisher.RunAsync(rate, duration, RandomUser, second => Console.WriteLine($"  {second} s: {publisher.Accepted - acceptedBefore:N0} accepted"));
        var accepted = publisher.Accepted - acceptedBefore;
        await Connect.DrainAsync(() => sockets.Sum(s => s.Received) - receivedBefore, accepted * perUser, TimeSpan.FromSeconds(10));
        var (serverCpu, redisCpu) = (cpu.ServerSeconds, cpu.RedisSeconds);
        var latency = recorder.Summarize();
        await Connect.CloseAllAsync(sockets);

        return
        [
            new("publishes accepted", accepted, ""),
            new("publish errors", publisher.Failed - failedBefore, ""),
            new("deliveries expected", accepted * perUser, ""),
            new("deliveries made", latency.Count, ""),
            new("server CPU, all instances", serverCpu, "s", new RatioGoal("seed", 0.6, AtMost: true)),
            new("server CPU per publish", accepted == 0 ? 0 : serverCpu / accepted * 1e6, "µs"),
            new("Redis CPU", redisCpu, "s"),
            new("latency p50", latency.P50, "ms"),
            new("latency p99", latency.P99, "ms", new RatioGoal("seed", 0.5, AtMost: true)),
            new("latency max", latency.Max, "ms"),
        ];
    }
}
