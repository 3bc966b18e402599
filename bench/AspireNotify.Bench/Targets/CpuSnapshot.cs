namespace AspireNotify.Bench.Targets;

/// <summary>CPU time of each of some processes at one moment, to tell what each spent over a window.</summary>
public sealed class CpuSnapshot
{
    private readonly IReadOnlyList<int> _processIds;
    private readonly TimeSpan[] _cpu;

    private CpuSnapshot(IReadOnlyList<int> processIds) =>
        (_processIds, _cpu) = (processIds, [.. processIds.Select(id => ProcessMeter.Cpu([id]))]);

    public static CpuSnapshot Take(IReadOnlyList<int> processIds) => new(processIds);

    /// <summary>Seconds of CPU each process spent since this snapshot, in the order of the ids.</summary>
    public double[] SecondsSince() => [.. _processIds.Select((id, index) => (CpuOf(id) - _cpu[index]).TotalSeconds)];

    private static TimeSpan CpuOf(int processId)
    {
        try
        {
            return ProcessMeter.Cpu([processId]);
        }
        catch (ArgumentException exception)
        {
            // What it spent is gone with it; the window measures nothing and says so.
            throw new InvalidOperationException($"Process {processId} ended during the measured window.", exception);
        }
    }
}
