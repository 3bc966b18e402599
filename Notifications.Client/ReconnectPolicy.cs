namespace Notifications.Client;

/// <summary>
/// Exponential backoff with full jitter: the n-th attempt waits a uniformly random time between zero and
/// min(<see cref="MaxDelay"/>, <see cref="BaseDelay"/> × 2ⁿ). When a replica holding thousands of clients goes down,
/// their reconnects spread over that window instead of arriving together (no reconnect storm).
/// </summary>
public sealed record ReconnectPolicy
{
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The wait before attempt <paramref name="attempt"/> (0 = the first reconnect after a drop).</summary>
    public TimeSpan NextDelay(int attempt, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = Ceiling(attempt);
        return TimeSpan.FromTicks((long)(random.NextDouble() * ceiling.Ticks));
    }

    /// <summary>The largest wait attempt <paramref name="attempt"/> can draw.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var exponential = BaseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        return TimeSpan.FromTicks((long)Math.Min(exponential, MaxDelay.Ticks));
    }
}
