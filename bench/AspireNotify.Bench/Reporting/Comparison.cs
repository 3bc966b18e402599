using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AspireNotify.Bench.Reporting;

/// <summary>A goal from the issue as a ratio: AspireNotify's figure at most (or at least) <see cref="Factor"/> times a peer's.</summary>
public sealed record RatioGoal(string Versus, double Factor, bool AtMost)
{
    public bool MetBy(double ratio) => AtMost ? ratio <= Factor : ratio >= Factor;

    public override string ToString() => $"{(AtMost ? "≤" : "≥")} {Factor.ToString("0.0#", CultureInfo.InvariantCulture)}× {Versus}";
}

/// <summary>One figure of one target in a side-by-side run.</summary>
public sealed record ComparedFigure(string Name, double Value, string Unit, RatioGoal? Goal = null);

/// <summary>What one target measured in a comparison; <see cref="Key"/> is its <c>--targets</c> name.</summary>
public sealed record ComparedTarget(string Key, string Name, IReadOnlyList<ComparedFigure> Figures);

/// <summary>The same scenario measured against AspireNotify and its peers in one run: a markdown table with ratios, and JSON.</summary>
public sealed class Comparison(string scenario, IReadOnlyDictionary<string, string> parameters)
{
    private const string Subject = "aspirenotify";
    private static readonly string[] Peers = ["seed", "signalr"];
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Scenario { get; } = scenario;

    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public List<ComparedTarget> Targets { get; } = [];

    public string Machine { get; } = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";

    public DateTimeOffset MeasuredAt { get; } = DateTimeOffset.UtcNow;

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"== compare {Scenario} ({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))}) on {Machine}");
        Console.WriteLine();
        Console.Write(Table());
    }

    /// <summary>Every target that delivered less than was expected of it, or nothing: what the smoke run fails on.</summary>
    public IEnumerable<string> Shortfalls() =>
        from target in Targets
        from made in target.Figures.Where(figure => figure.Name.EndsWith("deliveries made", StringComparison.Ordinal))
        let expected = Value(target, made.Name.Replace("deliveries made", "deliveries expected", StringComparison.Ordinal)) ?? 0
        where made.Value == 0 || made.Value < expected
        select $"{target.Name}: {made.Name} {made.Value:#,0} of {expected:#,0}";

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json));
        Console.WriteLine($"  results written to {path}");
    }

    /// <summary>One row per figure, one column per target, then AspireNotify ÷ each peer and the issue's goal.</summary>
    private string Table()
    {
        var table = new StringBuilder();
        var peers = Peers.Where(peer => Find(peer) is not null).ToList();
        table.AppendLine(CultureInfo.InvariantCulture, $"| measured in one run | {string.Join(" | ", Targets.Select(t => t.Name))} | {string.Join(" | ", peers.Select(p => $"÷ {Find(p)!.Name}"))} | goal |");
        table.AppendLine(CultureInfo.InvariantCulture, $"| --- |{string.Concat(Enumerable.Repeat(" ---: |", Targets.Count + peers.Count))} --- |");
        foreach (var figure in Targets[0].Figures)
        {
            var values = Targets.Select(target => Format(Value(target, figure.Name), figure.Unit));
            var ratios = peers.Select(peer => Ratio(peer, figure.Name) is { } ratio ? $"{ratio.ToString("0.00", CultureInfo.InvariantCulture)}×" : "–");
            table.AppendLine(CultureInfo.InvariantCulture, $"| {figure.Name} | {string.Join(" | ", values)} | {string.Join(" | ", ratios)} | {Verdict(figure)} |");
        }

        return table.ToString();
    }

    private string Verdict(ComparedFigure figure) => figure.Goal switch
    {
        null => "",
        var goal when Ratio(goal.Versus, figure.Name) is { } ratio => $"{goal}: {(goal.MetBy(ratio) ? "met" : "**not met**")}",
        var goal => $"{goal}",
    };

    /// <summary>AspireNotify's figure ÷ the peer's, when both were measured and the peer's is not zero.</summary>
    private double? Ratio(string peer, string figure) =>
        Find(Subject) is { } subject && Find(peer) is { } other && Value(other, figure) is > 0 and var divisor && Value(subject, figure) is { } value
            ? value / divisor
            : null;

    private ComparedTarget? Find(string key) => Targets.FirstOrDefault(target => target.Key == key);

    private static double? Value(ComparedTarget target, string figure) => target.Figures.FirstOrDefault(f => f.Name == figure)?.Value;

    private static string Format(double? value, string unit) => value switch
    {
        null => "–",
        _ when unit == "" => value.Value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 100 or 0 => $"{value.Value.ToString("#,0", CultureInfo.InvariantCulture)}{Suffix(unit)}",
        >= 10 => $"{value.Value.ToString("0.0", CultureInfo.InvariantCulture)}{Suffix(unit)}",
        _ => $"{value.Value.ToString("0.00", CultureInfo.InvariantCulture)}{Suffix(unit)}",
    };

    private static string Suffix(string unit) => unit switch { "" => "", "/s" => "/s", _ => $" {unit}" };
}
