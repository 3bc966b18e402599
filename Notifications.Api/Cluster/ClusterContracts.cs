namespace Notifications.Api.Cluster;

/// <summary>What one replica last reported: the connections and distinct users it holds.</summary>
public sealed record NodeReport(string Node, int Connections, int Users, DateTimeOffset ReportedAt);

/// <summary>The answer of <c>GET /api/cluster</c>: every replica with a current report, by node name.</summary>
public sealed record ClusterView(string AnsweredBy, IReadOnlyList<NodeReport> Nodes);
