using System.Diagnostics;

namespace AspireNotify.Bench.Clients;

/// <summary>
/// End-to-end latencies in microseconds, one list per receiving socket (no contention on the hot path), merged for
/// percentiles. Publisher and receivers share this process, so both ends read the same monotonic clock.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<List<long>> _lists = [];
    private readonly Lock _gate = new();

    public List<long> CreateList()
    {
        var list = new List<long>();
        lock (_gate)
        {
            _lists.Add(list);
        }

        return list;
    }

    /// <summary>Forgets what was recorded so far (after a warm-up).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            foreach (var list in _lists)
            {
                lock (list)
                {
                    list.Clear();
                }
            }
        }
    }

    public static long Since(long publishTimestamp) => (long)(Stopwatch.GetElapsedTime(publishTimestamp).TotalMilliseconds * 1000);

    public LatencySummary Summarize()
    {
        long[] all;
        lock (_gate)
        {
            all = [.. _lists.SelectMany(list =>
            {
                lock (list)
                {
                    return list.ToArray();
                }
            })];
        }

        Array.Sort(all);
        return all.Length == 0
            ? new LatencySummary(0, 0, 0, 0, 0)
            : new LatencySummary(all.Length, Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), all[^1] / 1000.0);
    }

    private static double Percentile(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] / 1000.0;
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max);
