using System.Collections.Concurrent;

namespace Notifications.Api.Telemetry;

/// <summary>
/// Keeps what clients can trigger from flooding the logs: per key (a reason tag, a closed set), a burst of
/// <see cref="Burst"/> lines, then one every <see cref="Interval"/>; each line that gets through says how many were
/// left out before it. The metrics count every occurrence.
/// </summary>
public sealed class LogThrottle(TimeProvider time)
{
    public const int Burst = 10;
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>True when a line for <paramref name="key"/> may be written now; <paramref name="suppressed"/> is how many were not.</summary>
    public bool TryEnter(string key, out long suppressed)
    {
        var bucket = _buckets.GetOrAdd(key, static (_, now) => new Bucket(now), time.GetTimestamp());
        return bucket.TryTake(time.GetTimestamp(), time, out suppressed);
    }

    private sealed class Bucket(long now)
    {
        private readonly Lock _gate = new();
        private double _tokens = Burst;
        private long _refilledAt = now;
        private long _suppressed;

        public bool TryTake(long now, TimeProvider time, out long suppressed)
        {
            lock (_gate)
            {
                _tokens = Math.Min(Burst, _tokens + time.GetElapsedTime(_refilledAt, now) / Interval);
                _refilledAt = now;
                if (_tokens < 1)
                {
                    _suppressed++;
                    suppressed = 0;
                    return false;
                }

                _tokens--;
                suppressed = _suppressed;
                _suppressed = 0;
                return true;
            }
        }
    }
}
