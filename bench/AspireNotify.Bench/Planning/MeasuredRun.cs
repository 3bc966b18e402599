using System.Globalization;
using System.Text.Json;

namespace AspireNotify.Bench.Planning;

/// <summary>
/// One JSON file the bench wrote: a scenario's <c>ScenarioResult</c> or a side-by-side <c>Comparison</c> (which has
/// targets); <see cref="Kind"/> tells them apart, since both name their scenario the same way ("idle").
/// </summary>
public sealed class MeasuredRun(string file, JsonElement root)
{
    public string File { get; } = file;

    public string Kind { get; } = (root.TryGetProperty("targets", out _) ? "compare " : "") + root.GetProperty("scenario").GetString();

    public DateTimeOffset MeasuredAt { get; } = root.GetProperty("measuredAt").GetDateTimeOffset();

    public string Describe() => $"{File} ({Kind}, {MeasuredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)";

    public string? Parameter(string name) =>
        root.GetProperty("parameters").TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>A figure of a scenario's run; the mean when one run measured it more than once (the WAIT run alternates).</summary>
    public double? Figure(string name) => Mean(Figures(root), name);

    /// <summary>A figure of one target (<c>aspirenotify</c>, <c>seed</c>, <c>signalr</c>) of a side-by-side run.</summary>
    public double? TargetFigure(string target, string name) =>
        root.TryGetProperty("targets", out var targets)
            ? targets.EnumerateArray().Where(t => t.GetProperty("key").GetString() == target).Select(t => Mean(Figures(t), name)).FirstOrDefault()
            : null;

    /// <summary>The elements of a JSON series (<c>ramps</c> holds arrays of steps; they are flattened).</summary>
    public IEnumerable<JsonElement> Series(string name) =>
        root.TryGetProperty("series", out var series) && series.TryGetProperty(name, out var items) && items.ValueKind == JsonValueKind.Array
            ? items.EnumerateArray().SelectMany<JsonElement, JsonElement>(item => item.ValueKind == JsonValueKind.Array ? item.EnumerateArray() : [item])
            : [];

    /// <summary>Every bench JSON file in the directories that exist; files of another shape are skipped.</summary>
    public static IReadOnlyList<MeasuredRun> Load(IEnumerable<string> directories) =>
        [.. from directory in directories.Where(Directory.Exists)
            from file in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal)
            let run = TryRead(file)
            where run is not null
            select run];

    private static MeasuredRun? TryRead(string file)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(file));
        var root = document.RootElement;
        return root.TryGetProperty("scenario", out _) && root.TryGetProperty("measuredAt", out _) && root.TryGetProperty("parameters", out _)
            ? new MeasuredRun(file, root.Clone())
            : null;
    }

    private static IEnumerable<JsonElement> Figures(JsonElement owner) =>
        owner.TryGetProperty("figures", out var figures) ? figures.EnumerateArray().AsEnumerable() : [];

    private static double? Mean(IEnumerable<JsonElement> figures, string name) =>
        figures.Where(f => f.GetProperty("name").GetString() == name).Select(f => f.GetProperty("value").GetDouble()).ToList() is { Count: > 0 } values
            ? values.Average()
            : null;
}
