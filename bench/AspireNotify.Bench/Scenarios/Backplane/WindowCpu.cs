using AspireNotify.Bench.Targets;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// CPU seconds spent over one measured window: by each redis-server, by Redis's clients (the API replicas, or the load
/// tool when it drives Redis alone), by the load tool, and by the whole machine. What is left is unaccounted: interrupt
/// work the kernel charged to no process, and processes the bench did not start — on a shared machine, other people's
/// builds and tests competing for the same cores.
/// </summary>
public sealed record WindowCpu(IReadOnlyList<double> RedisPerProcess, double Clients, double LoadTool, double Machine)
{
    public double Redis => RedisPerProcess.Sum();

    public double Unaccounted => Math.Max(0, Machine - Redis - Clients - LoadTool);

    /// <summary>Starts measuring; <paramref name="clients"/> may include this process (then it is not counted twice).</summary>
    public static Func<WindowCpu> Start(IReadOnlyList<int> redis, IReadOnlyList<int> clients)
    {
        var self = clients.Contains(Environment.ProcessId) ? [] : new[] { Environment.ProcessId };
        var (redisCpu, clientCpu, selfCpu) = (CpuSnapshot.Take(redis), CpuSnapshot.Take(clients), CpuSnapshot.Take(self));
        var machine = ProcessMeter.MachineBusySeconds();
        return () => new WindowCpu(redisCpu.SecondsSince(), clientCpu.SecondsSince().Sum(), selfCpu.SecondsSince().Sum(),
            ProcessMeter.MachineBusySeconds() - machine);
    }
}
