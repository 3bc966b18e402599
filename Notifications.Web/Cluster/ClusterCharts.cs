namespace Notifications.Web.Cluster;

/// <summary>The measures the Cluster page charts (the <c>data-measure</c> of each line) and how latency lines are drawn.</summary>
public static class ClusterCharts
{
    public const string Connections = "connections";
    public const string Users = "users";
    public const string Deliveries = "deliveries";

    public static readonly IReadOnlyList<(string Measure, string? Dash, Func<LatencyPercentiles, double> Of)> Percentiles =
    [
        ("p50", "2 3", latency => latency.P50Ms),
        ("p95", "6 3", latency => latency.P95Ms),
        ("p99", null, latency => latency.P99Ms),
    ];
}
