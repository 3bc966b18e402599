using System.Diagnostics;
using System.Globalization;

namespace AspireNotify.Bench.Targets;

/// <summary>
/// What a server process costs, read from the kernel rather than from the server (whose own figures differ by runtime:
/// a GC heap means nothing for Node): resident memory from <c>/proc/&lt;pid&gt;/status</c>, CPU from
/// <c>/proc/&lt;pid&gt;/stat</c>.
/// </summary>
public static class ProcessMeter
{
    /// <summary>VmRSS: the pages of the process that are in memory now.</summary>
    public static long ResidentBytes(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"/proc/{processId}/status has no VmRSS: is the process gone?");
    }

    /// <summary>
    /// Seconds of CPU every process of the machine has used since boot (the first line of /proc/stat, everything but
    /// idle and iowait), to tell how much of a window went to processes the bench did not start.
    /// </summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // user nice system idle iowait irq softirq steal, in USER_HZ (100 on Linux); guest time is inside user already.
        int[] busy = [1, 2, 3, 6, 7, 8];
        return busy.Sum(index => long.Parse(fields[index], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>User plus system time of every thread of the processes so far (utime + stime, which .NET reads for us).</summary>
    public static TimeSpan Cpu(IEnumerable<int> processIds) =>
        processIds.Aggregate(TimeSpan.Zero, (sum, id) =>
        {
            using var process = Process.GetProcessById(id);
            return sum + process.TotalProcessorTime;
        });
}
