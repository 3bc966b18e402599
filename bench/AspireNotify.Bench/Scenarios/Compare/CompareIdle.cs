using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Compare;

/// <summary>
/// N idle connections on one instance: its resident memory per connection (from the kernel, the same reading for every
/// runtime), how fast they open, and the server CPU to open them and hold them for a while.
/// </summary>
internal static class CompareIdle
{
    public static ComparedScenario Define(BenchOptions options)
    {
        var (connections, hold, warmUp) = (options.Count("connections", 5000), options.Seconds("hold", 10), options.Count("warm-up", 1000));
        return new ComparedScenario("idle", new Dictionary<string, string>
        {
            ["instances"] = "1", ["connections"] = $"{connections}", ["hold"] = $"{hold.TotalSeconds} s", ["warm-up"] = $"{warmUp}",
        }, 1, target => MeasureAsync(target, connections, hold, warmUp));
    }

    private static async Task<List<ComparedFigure>> MeasureAsync(BenchTarget target, int connections, TimeSpan hold, int warmUp)
    {
        using var sources = new SourceAddresses(4);
        await WarmUpAsync(target, warmUp, sources);
        var server = target.ServerProcessIds[0];
        var residentBefore = ProcessMeter.ResidentBytes(server);
        var cpu = CpuSpent.Since(target);

        var clock = Stopwatch.StartNew();
        var sockets = await Connect.SpreadAsync(target.Protocol, target.Instances, connections, i => $"idle-{i}", sources, new LatencyRecorder());
        var connectsPerSecond = connections / clock.Elapsed.TotalSeconds;
        var held = await CompareScenario.HeldAsync(target, connections);
        Console.WriteLine($"  {held:N0} held; holding {hold.TotalSeconds} s");
        await Task.Delay(hold);
        var residentAfter = ProcessMeter.ResidentBytes(server);
        var (serverCpu, redisCpu) = (cpu.ServerSeconds, cpu.RedisSeconds);
        await Connect.CloseAllAsync(sockets);

        return
        [
            new("connections held", held, ""),
            new("RSS before (after the warm-up)", residentBefore / 1048576.0, "MiB"),
            new("RSS holding them", residentAfter / 1048576.0, "MiB"),
            new("RSS per idle connection", (residentAfter - residentBefore) / 1024.0 / connections, "KiB", new RatioGoal("seed", 1.0, AtMost: true)),
            new("connects per second", connectsPerSecond, "/s", new RatioGoal("seed", 1.0, AtMost: false)),
            new($"server CPU to open them and hold them {hold.TotalSeconds} s", serverCpu, "s", new RatioGoal("seed", 1.0, AtMost: true)),
            new("Redis CPU meanwhile", redisCpu, "s"),
        ];
    }

    /// <summary>
    /// Opens and closes connections first, so neither runtime's first-use costs (JIT and tiering, pools) count as
    /// per-connection: with 200, .NET's JIT was still over a quarter of the server's CPU while the 5,000 opened.
    /// </summary>
    private static async Task WarmUpAsync(BenchTarget target, int count, SourceAddresses sources)
    {
        var sockets = await Connect.SpreadAsync(target.Protocol, target.Instances, count, i => $"warm-{i}", sources, new LatencyRecorder());
        await Connect.CloseAllAsync(sockets);
        await CompareScenario.HeldAsync(target, 0);
        await Task.Delay(TimeSpan.FromSeconds(2));
    }
}
