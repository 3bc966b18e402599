namespace Notifications.Api.Cluster;

/// <summary>
/// Turns the cumulative <see cref="LatencyHistogram"/> into percentiles of what was recorded since the previous
/// call: one report interval. Used by one reporting loop at a time; its two buffers are reused, nothing allocates.
/// </summary>
public sealed class LatencyWindow(LatencyHistogram histogram)
{
    private long[] _previous = new long[LatencyHistogram.BucketCount];
    private long[] _current = new long[LatencyHistogram.BucketCount];

    /// <summary>p50, p95 and p99 in milliseconds of the deliveries since the last call; null when there were none.</summary>
    public LatencyPercentiles? Next()
    {
        histogram.CopyTo(_current);
        var count = 0L;
        for (var bucket = 0; bucket < LatencyHistogram.BucketCount; bucket++)
        {
            count += _current[bucket] - _previous[bucket];
        }

        var percentiles = count == 0 ? null : new LatencyPercentiles(count,
            Milliseconds(0.50), Milliseconds(0.95), Milliseconds(0.99));
        (_previous, _current) = (_current, _previous);
        return percentiles;
    }

    private double Milliseconds(double quantile) =>
        LatencyHistogram.Percentile(_current, _previous, quantile)!.Value / 1000.0;
}
