using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Targets;

namespace AspireNotify.Bench.Scenarios.Compare;

/// <summary>A scenario as <c>compare</c> runs it: its parameters, how many instances each target gets, and the measurement.</summary>
internal sealed record ComparedScenario(string Name, IReadOnlyDictionary<string, string> Parameters, int Instances,
    Func<BenchTarget, Task<List<ComparedFigure>>> MeasureAsync);

/// <summary>
/// <c>compare &lt;idle|latency|broadcast&gt;</c>: one scenario against AspireNotify and its peers, one after the other
/// in one run, each target on its own fresh redis-server and instances, measured by the same client.
/// </summary>
internal static class CompareScenario
{
    public static IReadOnlyDictionary<string, Func<BenchOptions, ComparedScenario>> All { get; } =
        new Dictionary<string, Func<BenchOptions, ComparedScenario>>(StringComparer.OrdinalIgnoreCase)
        {
            ["idle"] = CompareIdle.Define,
            ["latency"] = CompareLatency.Define,
            ["broadcast"] = CompareBroadcast.Define,
        };

    public static async Task<Comparison> RunAsync(string name, BenchOptions options)
    {
        var scenario = All[name](options);
        var targets = options.Text("targets", string.Join(',', Targets.Targets.All.Keys)).Split(',', StringSplitOptions.TrimEntries);
        var comparison = new Comparison(scenario.Name, new Dictionary<string, string>(scenario.Parameters) { ["targets"] = string.Join(',', targets) });
        foreach (var key in targets)
        {
            var start = Targets.Targets.All.GetValueOrDefault(key) ?? throw new ArgumentException($"Unknown target '{key}'.");
            Console.WriteLine($"-- {key}: {scenario.Instances} instance(s)");
            await using var target = await start(scenario.Instances);
            comparison.Targets.Add(new ComparedTarget(key.ToLowerInvariant(), target.Name, await scenario.MeasureAsync(target)));
        }

        return comparison;
    }

    /// <summary>Waits (bounded) until the instances report <paramref name="expected"/> connections, and returns what they report.</summary>
    public static async Task<int> HeldAsync(BenchTarget target, int expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        int held;
        while ((held = await target.ConnectionsAsync()) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return held;
    }
}
