using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Compare;

/// <summary>
/// Broadcast fan-out to N connections over the instances, in two phases: at a given delivery rate (server CPU and
/// latency), then offered far more than it can take (the deliveries per second it sustains, and the latency then).
/// </summary>
internal static class CompareBroadcast
{
    private sealed record Phase(long Expected, LatencySummary Latency, double Seconds, double ServerCpu, double RedisCpu)
    {
        public double PerSecond => Latency.Count / Seconds;
    }

    public static ComparedScenario Define(BenchOptions options)
    {
        var (instances, connections, duration) = (options.Count("instances", 2), options.Count("connections", 5000), options.Seconds("duration", 10));
        var (rate, saturate, warmUp) = (options.Number("rate", 50_000), options.Number("saturate", 400_000), options.Seconds("warm-up-seconds", 5));
        return new ComparedScenario("broadcast", new Dictionary<string, string>
        {
            ["instances"] = $"{instances}", ["connections"] = $"{connections}", ["rate"] = $"{rate:N0} deliveries/s",
            ["saturate"] = $"{saturate:N0} deliveries/s offered", ["duration"] = $"{duration.TotalSeconds} s each",
            ["warm-up"] = $"{warmUp.TotalSeconds} s",
        }, instances, target => MeasureAsync(target, connections, rate, saturate, duration, warmUp));
    }

    private static async Task<List<ComparedFigure>> MeasureAsync(BenchTarget target, int connections, double rate, double saturate,
        TimeSpan duration, TimeSpan warmUp)
    {
        using var sources = new SourceAddresses(4);
        var recorder = new LatencyRecorder();
        var sockets = await Connect.SpreadAsync(target.Protocol, target.Instances, connections, i => $"fan-{i}", sources, recorder);
        await CompareScenario.HeldAsync(target, connections);
        // A warm-up at the steady rate, so first-use costs (JIT and tiering of the delivery path) count in neither phase.
        await RunPhaseAsync(target, sockets, recorder, rate / connections, warmUp);
        var steady = await RunPhaseAsync(target, sockets, recorder, rate / connections, duration);
        var saturated = await RunPhaseAsync(target, sockets, recorder, saturate / connections, duration);
        await Connect.CloseAllAsync(sockets);

        var at = $"at {rate:N0}/s";
        var offered = $"{saturate:N0}/s offered";
        return
        [
            new($"{at}: deliveries expected", steady.Expected, ""),
            new($"{at}: deliveries made", steady.Latency.Count, ""),
            new($"{at}: server CPU, all instances", steady.ServerCpu, "s", new RatioGoal("seed", 0.6, AtMost: true)),
            new($"{at}: Redis CPU", steady.RedisCpu, "s"),
            new($"{at}: latency p50", steady.Latency.P50, "ms"),
            new($"{at}: latency p99", steady.Latency.P99, "ms", new RatioGoal("seed", 0.5, AtMost: true)),
            new($"{offered}: deliveries expected", saturated.Expected, ""),
            new($"{offered}: deliveries made", saturated.Latency.Count, ""),
            new($"{offered}: deliveries per second (until the last)", saturated.PerSecond, "/s", new RatioGoal("signalr", 3.0, AtMost: false)),
            new($"{offered}: server CPU, all instances", saturated.ServerCpu, "s"),
            new($"{offered}: latency p50", saturated.Latency.P50, "ms"),
            new($"{offered}: latency p99", saturated.Latency.P99, "ms"),
        ];
    }

    /// <summary>Broadcasts at <paramref name="perSecond"/> for <paramref name="duration"/>, then waits (bounded) for the last delivery.</summary>
    private static async Task<Phase> RunPhaseAsync(BenchTarget target, List<BenchSocket> sockets, LatencyRecorder recorder, double perSecond, TimeSpan duration)
    {
        recorder.Clear();
        var receivedBefore = sockets.Sum(s => s.Received);
        using var publisher = new LoadPublisher(target.Instances, maxInFlight: 32);
        var cpu = CpuSpent.Since(target);
        var clock = Stopwatch.StartNew();
        await publisher.RunAsync(perSecond, duration, _ => "/api/notifications/broadcast",
            second => Console.WriteLine($"  {second} s: {sockets.Sum(s => s.Received) - receivedBefore:N0} delivered"));
        var expected = publisher.Accepted * sockets.Count;
        await Connect.DrainAsync(() => sockets.Sum(s => s.Received) - receivedBefore, expected, TimeSpan.FromSeconds(30));
        // Until the last delivery, not the last publish: a backlog that drains afterwards does not count as sustained.
        return new Phase(expected, recorder.Summarize(), clock.Elapsed.TotalSeconds, cpu.ServerSeconds, cpu.RedisSeconds);
    }
}
