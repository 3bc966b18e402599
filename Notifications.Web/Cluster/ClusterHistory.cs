namespace Notifications.Web.Cluster;

/// <summary>
/// The replicas' reports of the last <see cref="Window"/>, as the Cluster page polls them, and the series its charts
/// draw. A report enters once (polling twice within a report interval sees the same one again). Deliveries per second
/// come from two consecutive reports of a replica; a counter that went down means the replica restarted, so that pair
/// gives no rate.
/// </summary>
public sealed class ClusterHistory
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Colours for replicas in node order, distinguishable for the common colour-vision deficiencies.</summary>
    private static readonly string[] Palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];

    private readonly SortedDictionary<string, List<NodeReport>> _reports = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Nodes => _reports.Keys;

    public void Add(IEnumerable<NodeReport> reports, DateTimeOffset now)
    {
        foreach (var report in reports)
        {
            if (!_reports.TryGetValue(report.Node, out var samples))
            {
                _reports.Add(report.Node, samples = []);
            }

            if (samples.Count == 0 || report.ReportedAt > samples[^1].ReportedAt)
            {
                samples.Add(report);
            }
        }

        foreach (var (node, samples) in _reports.ToArray())
        {
            samples.RemoveAll(sample => sample.ReportedAt < now - Window);
            if (samples.Count == 0)
            {
                _reports.Remove(node);
            }
        }
    }

    public string ColorOf(string node) => Palette[Math.Max(0, Nodes.ToList().IndexOf(node)) % Palette.Length];

    public IReadOnlyList<ChartPoint> Connections(string node) => Points(node, report => report.Connections);

    public IReadOnlyList<ChartPoint> Users(string node) => Points(node, report => report.Users);

    public IReadOnlyList<ChartPoint> DeliveriesPerSecond(string node)
    {
        var samples = _reports.GetValueOrDefault(node) ?? [];
        var rates = new List<ChartPoint>();
        for (var i = 1; i < samples.Count; i++)
        {
            var (before, after) = (samples[i - 1], samples[i]);
            var seconds = (after.ReportedAt - before.ReportedAt).TotalSeconds;
            if (before.Delivered is { } from && after.Delivered is { } to && to >= from && seconds > 0)
            {
                rates.Add(new ChartPoint(after.ReportedAt, (to - from) / seconds));
            }
        }

        return rates;
    }

    /// <summary>One percentile of the delivery latency (ms), from the reports that saw deliveries.</summary>
    public IReadOnlyList<ChartPoint> Latency(string node, Func<LatencyPercentiles, double> percentile) =>
        [.. (_reports.GetValueOrDefault(node) ?? [])
            .Where(report => report.Latency is not null)
            .Select(report => new ChartPoint(report.ReportedAt, percentile(report.Latency!)))];

    private IReadOnlyList<ChartPoint> Points(string node, Func<NodeReport, double> value) =>
        [.. (_reports.GetValueOrDefault(node) ?? []).Select(report => new ChartPoint(report.ReportedAt, value(report)))];
}
