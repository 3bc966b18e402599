using System.Text.Json;

namespace Notifications.Contract;

/// <summary>The body of a publish call: <c>data</c> is any JSON value and reaches clients unchanged.</summary>
public sealed record PublishRequest(JsonElement Data);

/// <summary>Where an accepted message is: its id, its stream and its seq in that stream.</summary>
public sealed record PublishResponse(string Id, string Stream, long Seq);

/// <summary>The body of <c>POST /auth/dev-token</c> (Development only).</summary>
/// <param name="Topics">The <see cref="TokenClaims.Topics"/> claim: names or patterns the user may subscribe to.</param>
/// <param name="PublishTopics">The <see cref="TokenClaims.PublishTopics"/> claim: patterns a publisher may publish to.</param>
public sealed record DevTokenRequest(string? UserId, string[]? Roles, string[]? Topics = null, string[]? PublishTopics = null);

/// <summary>The answer of <c>POST /auth/dev-token</c>.</summary>
public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// What one replica last reported into the cluster directory: the connections and distinct users it holds and, since
/// v1.1, the notification frames it has written since it started (<see cref="Delivered"/>, a counter: two reports
/// give a rate) and the latency of its live deliveries over the last 10 seconds or report interval, whichever is longer
/// (null when there were none).
/// Both are null in a report of an older replica.
/// </summary>
public sealed record NodeReport(string Node, int Connections, int Users, DateTimeOffset ReportedAt,
    long? Delivered = null, LatencyPercentiles? Latency = null);

/// <summary>
/// Percentiles, in milliseconds, of the time from publish accepted to the frame written to the socket, of the
/// <see cref="Count"/> live deliveries of the report's window; each is at most 6.25 % above the true value.
/// </summary>
public sealed record LatencyPercentiles(long Count, double P50Ms, double P95Ms, double P99Ms);

/// <summary>The answer of <c>GET /api/cluster</c>: every replica with a current report, by node name.</summary>
public sealed record ClusterView(string AnsweredBy, IReadOnlyList<NodeReport> Nodes);

/// <summary>One replica's part of a topic's presence, from its last report.</summary>
public sealed record TopicPresenceNode(string Node, int Connections, int Users, DateTimeOffset ReportedAt);

/// <summary>
/// The answer of <c>GET /api/topics/{topic}/presence</c>: the connections subscribed to the topic and the distinct users
/// behind them across the cluster, from the replicas' reports (at most one report interval old, <see cref="AsOf"/> the
/// oldest report used).
/// </summary>
public sealed record TopicPresence(string Topic, int Connections, int Users, IReadOnlyList<TopicPresenceNode> Nodes, string AnsweredBy,
    DateTimeOffset AsOf);

/// <summary>The body of <c>PUT /api/topics/{topic}/presence-events</c>: whether joins and leaves are published into the topic.</summary>
public sealed record PresenceEventsRequest(bool Enabled);
