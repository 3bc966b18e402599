namespace Notifications.Web.Api;

/// <summary>The answer of <c>POST /auth/dev-token</c>.</summary>
public sealed record DevToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>The answer of an accepted publish: where the message is.</summary>
public sealed record PublishReceipt(string Id, string Stream, long Seq);

/// <summary>What one replica last reported into the cluster directory.</summary>
public sealed record NodeReport(string Node, int Connections, int Users, DateTimeOffset ReportedAt);

/// <summary>The answer of <c>GET /api/cluster</c>.</summary>
public sealed record ClusterView(string AnsweredBy, IReadOnlyList<NodeReport> Nodes);
