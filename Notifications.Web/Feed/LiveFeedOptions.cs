using System.ComponentModel.DataAnnotations;

namespace Notifications.Web.Feed;

public sealed class LiveFeedOptions
{
    public const string SectionName = "LiveFeed";

    /// <summary>
    /// The API address as the browser reaches it (not the service-discovery name the server uses); the AppHost sets
    /// it from the API's endpoint.
    /// </summary>
    [Required]
    public Uri? ApiUrl { get; set; }

    /// <summary>How often each browser connection sends a ping frame to measure round-trip time.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the Live page asks the API for the presence of its topics (which lags by a report interval anyway).</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan PresenceInterval { get; set; } = TimeSpan.FromSeconds(2);
}
