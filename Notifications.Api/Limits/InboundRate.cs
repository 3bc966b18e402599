using System.Diagnostics;

namespace Notifications.Api.Limits;

/// <summary>A token bucket for the messages one connection sends; two numbers per connection, no timer.</summary>
public sealed class InboundRate(double perSecond, int burst)
{
    private double _tokens = burst;
    private long _refilledAt = Stopwatch.GetTimestamp();

    /// <summary>Takes one token; false when the client sends faster than the limit allows.</summary>
    public bool TryTake(long now)
    {
        _tokens = Math.Min(burst, _tokens + Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond);
        _refilledAt = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
