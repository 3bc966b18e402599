using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Limits;

/// <summary>What one client may do; docs/security.md lists every limit with the answer a client gets past it.</summary>
public sealed class LimitsOptions
{
    public const string SectionName = "Limits";

    /// <summary>Messages a connection may send per second on average (pings included); past the burst: close 1008.</summary>
    [Range(0.1, 10_000)]
    public double InboundMessagesPerSecond { get; set; } = 10;

    [Range(1, 100_000)]
    public int InboundMessageBurst { get; set; } = 20;

    /// <summary>Open connections one user may hold across all replicas; one more is refused with 429.</summary>
    [Range(1, 100_000)]
    public int ConnectionsPerUser { get; set; } = 10;

    /// <summary>Connections one replica holds at most; one more is refused with 503 so the client tries another.</summary>
    [Range(1, 10_000_000)]
    public int MaxConnectionsPerReplica { get; set; } = 50_000;

    /// <summary>WebSocket upgrade attempts per client address per second (token bucket); past the burst: 429.</summary>
    [Range(1, 100_000)]
    public int UpgradesPerAddressPerSecond { get; set; } = 10;

    [Range(1, 100_000)]
    public int UpgradeBurst { get; set; } = 20;

    /// <summary>Largest publish request body; a larger one is answered 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxPublishBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Messages one batch publish may carry; more is answered 413 and nothing is stored.</summary>
    [Range(1, 10_000)]
    public int MaxBatchMessages { get; set; } = 1_000;

    /// <summary>
    /// Largest batch publish request body; a larger one is answered 413. Each message's <c>data</c> is also held to
    /// <see cref="MaxPublishBodyBytes"/>, as if it were published alone.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Publishes per caller (token subject) per second (token bucket); past the burst: 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int PublishesPerCallerPerSecond { get; set; } = 200;

    [Range(1, 1_000_000)]
    public int PublishBurst { get; set; } = 400;

    /// <summary>Topics one connection may read at once (from <c>?topics=</c> and <c>subscribe</c>); past it: 400 or an error frame.</summary>
    [Range(0, 1_000)]
    public int MaxTopicsPerConnection { get; set; } = 20;

    /// <summary>Longest topic name this deployment accepts; at most the contract's 128 (<see cref="TopicNames.MaxLength"/>).</summary>
    [Range(1, TopicNames.MaxLength)]
    public int MaxTopicNameLength { get; set; } = 64;

    /// <summary><c>subscribe</c> and <c>unsubscribe</c> frames per connection per second (token bucket); past the burst: an error frame.</summary>
    [Range(0.1, 10_000)]
    public double TopicSubscribesPerSecond { get; set; } = 5;

    [Range(1, 100_000)]
    public int TopicSubscribeBurst { get; set; } = 20;

    /// <summary>Time a client has to send its request headers (the upgrade handshake) before the connection is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a connection counts toward its user's limit without being renewed; replicas renew theirs every third
    /// of it, so the connections of a replica that crashed stop counting after at most this long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00")]
    public TimeSpan ConnectionLease { get; set; } = TimeSpan.FromSeconds(60);
}
