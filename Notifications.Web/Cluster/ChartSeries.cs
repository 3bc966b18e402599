namespace Notifications.Web.Cluster;

/// <summary>One value at one time: a replica's report, or a rate between two of them.</summary>
public readonly record struct ChartPoint(DateTimeOffset At, double Value);

/// <summary>One line of a chart: what it measures (<see cref="Measure"/>), for which replica, drawn how.</summary>
public sealed record ChartSeries(string Measure, string Node, string Label, string Color, string? Dash, IReadOnlyList<ChartPoint> Points)
{
    public double? Last => Points.Count == 0 ? null : Points[^1].Value;
}
