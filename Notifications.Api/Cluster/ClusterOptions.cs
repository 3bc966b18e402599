using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Cluster;

public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>How often each replica writes its counts into Redis.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a report counts as current. A replica that stops reporting (crashed, cut off from Redis) drops out of
    /// <c>GET /api/cluster</c> this long after its last report; it must be longer than the interval.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromSeconds(6);

    internal bool LifetimeOutlastsInterval => EntryLifetime > ReportInterval;
}
