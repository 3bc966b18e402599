using System.Numerics;

namespace Notifications.Api.Cluster;

/// <summary>
/// Delivery latencies in microseconds, counted into fixed log-linear buckets: exact below 16 µs, then 16 buckets per
/// power of two (a bucket is at most 1/16 = 6.25 % wide), up to 2^26 µs (67 s, the last bucket takes anything
/// longer). Recording is one <see cref="Interlocked.Increment(ref long)"/> on a cumulative count, with no lock and no
/// allocation, so it can sit on the delivery path; a reader takes the difference of two snapshots to get an interval.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 16;
    private const int SubBucketBits = 4;
    private const int MaxExponent = 25;

    /// <summary>The number of buckets: 16 exact ones, then 16 for each power of two from 2^4 to 2^25.</summary>
    public const int BucketCount = SubBuckets * (MaxExponent - SubBucketBits + 2);

    private readonly long[] _counts = new long[BucketCount];

    public void Record(long microseconds) => Interlocked.Increment(ref _counts[BucketOf(microseconds)]);

    /// <summary>Copies the cumulative counts into <paramref name="counts"/> (of length <see cref="BucketCount"/>).</summary>
    public void CopyTo(long[] counts)
    {
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            counts[bucket] = Volatile.Read(ref _counts[bucket]);
        }
    }

    internal static int BucketOf(long microseconds)
    {
        if (microseconds < SubBuckets)
        {
            return (int)Math.Max(0, microseconds);
        }

        var exponent = Math.Min(BitOperations.Log2((ulong)microseconds), MaxExponent);
        var sub = exponent == BitOperations.Log2((ulong)microseconds)
            ? (int)(microseconds >> (exponent - SubBucketBits)) - SubBuckets
            : SubBuckets - 1;
        return (SubBuckets * (exponent - SubBucketBits + 1)) + sub;
    }

    /// <summary>The largest value a bucket holds, in microseconds: what a percentile reports.</summary>
    internal static long HighestIn(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        var exponent = (bucket / SubBuckets) + SubBucketBits - 1;
        var sub = bucket % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << (exponent - SubBucketBits)) - 1;
    }

    /// <summary>
    /// The value at quantile <paramref name="quantile"/> (0 &lt; q ≤ 1) of the counts <paramref name="now"/> minus
    /// <paramref name="before"/>: the highest value of the bucket that holds the ⌈q·n⌉-th smallest value, so never
    /// below the true value and less than 6.25 % above it (a value past 67 s reads as 67 s). Null when nothing was
    /// recorded in between.
    /// </summary>
    public static long? Percentile(long[] now, long[] before, double quantile)
    {
        var total = 0L;
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            total += now[bucket] - before[bucket];
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        var seen = 0L;
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            seen += now[bucket] - before[bucket];
            if (seen >= rank)
            {
                return HighestIn(bucket);
            }
        }

        return HighestIn(BucketCount - 1);
    }
}
