namespace Notifications.Api.Cluster;

/// <summary>
/// Turns the cumulative <see cref="LatencyHistogram"/> into percentiles of what was recorded over the last
/// <c>intervals</c> calls (report intervals), from a ring of snapshots: a reader that polls less often than replicas
/// report (the Cluster page every 2 s, reports every 1–2 s) still sees every delivery's latency in some report. Used by
/// one reporting loop at a time; the snapshots are reused, nothing allocates after construction.
/// </summary>
public sealed class LatencyWindow
{
    /// <summary>How far back a report's percentiles reach, at least one report interval.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromSeconds(10);

    private readonly LatencyHistogram _histogram;
    private readonly long[][] _snapshots;
    private int _next;

    public LatencyWindow(LatencyHistogram histogram, int intervals = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervals, 1);
        _histogram = histogram;
        // All zeros at first: until the ring has gone round, the oldest snapshot is the start.
        _snapshots = [.. Enumerable.Range(0, intervals + 1).Select(_ => new long[LatencyHistogram.BucketCount])];
    }

    /// <summary>How many report intervals make up <see cref="Span"/> (at least one).</summary>
    public static int IntervalsFor(TimeSpan reportInterval) => Math.Max(1, (int)Math.Ceiling(Span / reportInterval));

    /// <summary>p50, p95 and p99 in milliseconds of the deliveries of the window ending now; null when there were none.</summary>
    public LatencyPercentiles? Next()
    {
        var current = _snapshots[_next];
        _histogram.CopyTo(current);
        _next = (_next + 1) % _snapshots.Length;
        // The slot written next is the snapshot taken `intervals` calls ago.
        var oldest = _snapshots[_next];
        var count = 0L;
        for (var bucket = 0; bucket < LatencyHistogram.BucketCount; bucket++)
        {
            count += current[bucket] - oldest[bucket];
        }

        return count == 0 ? null : new LatencyPercentiles(count,
            Milliseconds(current, oldest, 0.50), Milliseconds(current, oldest, 0.95), Milliseconds(current, oldest, 0.99));
    }

    private static double Milliseconds(long[] current, long[] oldest, double quantile) =>
        LatencyHistogram.Percentile(current, oldest, quantile)!.Value / 1000.0;
}
