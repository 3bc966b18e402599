using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Connections;

public sealed class ConnectionOptions
{
    public const string SectionName = "Connections";

    /// <summary>How often the server sends a WebSocket ping; also announced to clients as <c>heartbeatSeconds</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a ping may go unanswered before the connection is aborted as dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Frames waiting to be written to one client; a client that lets more pile up is a slow consumer.</summary>
    [Range(1, 1_000_000)]
    public int OutboundQueueCapacity { get; set; } = 256;

    /// <summary>Largest message a client may send; a larger one closes the connection with 1009.</summary>
    [Range(64, 1_048_576)]
    public int MaxInboundMessageBytes { get; set; } = 4096;

    /// <summary>How long the server waits for a close handshake to finish before it aborts the socket.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, the replica closes its clients with 1012 spread over this window.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether an upgrade of <c>/ws</c> that opens its connection is taken over from Kestrel's HTTP layer, so the open
    /// socket holds no HTTP request (about 9 KiB less per connection, docs/scaling.md). Off, every socket stays an
    /// HTTP request for its lifetime; the admission rules and answers are the same either way.
    /// </summary>
    public bool TakeOverUpgrades { get; set; } = true;

    /// <summary>
    /// Origins (scheme://host[:port]) whose pages may open a WebSocket. Requests without an Origin header
    /// (non-browser clients) are always allowed; browsers always send one.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];
}
