using System.Globalization;

namespace AspireNotify.Bench;

/// <summary><c>--name value</c> pairs from the command line, with the defaults each scenario documents.</summary>
public sealed class BenchOptions(IReadOnlyDictionary<string, string> values)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'.");
            }

            values[args[i][2..]] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
        }

        return new BenchOptions(values);
    }

    public int Count(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Number(string name, double fallback) =>
        values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public string Text(string name, string fallback) => values.TryGetValue(name, out var value) ? value : fallback;

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Number(name, fallback));

    /// <summary>A comma-separated list such as <c>--replicas 1,2,4</c>; <c>none</c> or an empty value is an empty list.</summary>
    public IReadOnlyList<string> List(string name, string fallback) =>
        Text(name, fallback) is var text && (text.Length == 0 || text == "none")
            ? []
            : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<int> Counts(string name, string fallback) =>
        [.. List(name, fallback).Select(value => int.Parse(value, CultureInfo.InvariantCulture))];

    public IReadOnlyList<double> Numbers(string name, string fallback) =>
        [.. List(name, fallback).Select(value => double.Parse(value, CultureInfo.InvariantCulture))];
}
