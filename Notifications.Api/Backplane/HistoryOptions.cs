using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Backplane;

/// <summary>How much of each stream Redis keeps for clients that reconnect: whichever limit is reached first.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "History";

    [Range(1, 100_000)]
    public int MaxCount { get; set; } = 1000;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long an <c>Idempotency-Key</c> is remembered: a retry within it returns the first publish.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromMinutes(10);
}
