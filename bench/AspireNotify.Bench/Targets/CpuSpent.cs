namespace AspireNotify.Bench.Targets;

/// <summary>CPU a target's server processes and its Redis spent since this was started.</summary>
public sealed class CpuSpent
{
    private readonly BenchTarget _target;
    private readonly TimeSpan _server;
    private readonly TimeSpan _redis;

    private CpuSpent(BenchTarget target) =>
        (_target, _server, _redis) = (target, ProcessMeter.Cpu(target.ServerProcessIds), ProcessMeter.Cpu([target.RedisProcessId]));

    /// <summary>Seconds of CPU of every server instance together.</summary>
    public double ServerSeconds => (ProcessMeter.Cpu(_target.ServerProcessIds) - _server).TotalSeconds;

    public double RedisSeconds => (ProcessMeter.Cpu([_target.RedisProcessId]) - _redis).TotalSeconds;

    public static CpuSpent Since(BenchTarget target) => new(target);
}
