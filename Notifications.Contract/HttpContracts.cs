using System.Text.Json;

namespace Notifications.Contract;

/// <summary>The body of a publish call: <c>data</c> is any JSON value and reaches clients unchanged.</summary>
public sealed record PublishRequest(JsonElement Data);

/// <summary>Where an accepted message is: its id, its stream and its seq in that stream.</summary>
public sealed record PublishResponse(string Id, string Stream, long Seq);

/// <summary>The body of <c>POST /auth/dev-token</c> (Development only).</summary>
public sealed record DevTokenRequest(string? UserId, string[]? Roles);

/// <summary>The answer of <c>POST /auth/dev-token</c>.</summary>
public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>What one replica last reported into the cluster directory: the connections and distinct users it holds.</summary>
public sealed record NodeReport(string Node, int Connections, int Users, DateTimeOffset ReportedAt);

/// <summary>The answer of <c>GET /api/cluster</c>: every replica with a current report, by node name.</summary>
public sealed record ClusterView(string AnsweredBy, IReadOnlyList<NodeReport> Nodes);
