using System.Globalization;
using System.Text.Json;

namespace AspireNotify.Bench.Reporting;

/// <summary>One measured figure; <see cref="Target"/> is the goal from the issue, when there is one.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Target = null, bool? Met = null);

/// <summary>What a scenario measured, printed as a table and written as JSON for docs/scaling.md.</summary>
public sealed class ScenarioResult(string scenario, IReadOnlyDictionary<string, string> parameters)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Scenario { get; } = scenario;

    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public List<Figure> Figures { get; } = [];

    public Dictionary<string, object> Series { get; } = [];

    public string Machine { get; } = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";

    public DateTimeOffset MeasuredAt { get; } = DateTimeOffset.UtcNow;

    public ScenarioResult Add(string name, double value, string unit, string? target = null, bool? met = null)
    {
        Figures.Add(new Figure(name, Math.Round(value, 3), unit, target, met));
        return this;
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine($"== {Scenario} ({string.Join(", ", Parameters.Select(p => $"{p.Key}={p.Value}"))}) on {Machine}");
        var width = Figures.Max(f => f.Name.Length);
        foreach (var figure in Figures)
        {
            var verdict = figure.Met switch { true => "  met", false => "  NOT met", null => "" };
            var target = figure.Target is null ? "" : $"   target {figure.Target}{verdict}";
            Console.WriteLine($"  {figure.Name.PadRight(width)}  {figure.Value.ToString("#,0.###", CultureInfo.InvariantCulture),14} {figure.Unit}{target}");
        }
    }

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, Json));
        Console.WriteLine($"  results written to {path}");
    }
}
