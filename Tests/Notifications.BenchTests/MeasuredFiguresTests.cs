using AspireNotify.Bench.Planning;
using Notifications.Processes;

namespace Notifications.BenchTests;

public sealed class MeasuredFiguresTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("plan-figures-").FullName;

    [Fact]
    public void Every_input_is_read_from_the_committed_runs()
    {
        var (_, inputs) = MeasuredFigures.Read(MeasuredRun.Load([Path.Combine(Repository.Root, "docs", "bench")]), workstationGc: false);

        // A renamed figure or series would silently fall back: this is where it shows.
        Assert.All(inputs, input => Assert.False(input.Fallback, $"{input.What}: {input.Source}"));
        Assert.All(inputs, input => Assert.True(input.Value > 0, input.What));
    }

    [Fact]
    public void The_newest_run_of_a_kind_wins_and_the_gc_mode_comes_from_the_file_name()
    {
        WriteIdle("idle-old.json", "2026-01-01T00:00:00Z", perConnection: 40);
        WriteIdle("idle-new.json", "2026-02-01T00:00:00Z", perConnection: 30);
        WriteIdle("idle-workstation-gc.json", "2026-03-01T00:00:00Z", perConnection: 20);

        var (server, serverInputs) = MeasuredFigures.Read(MeasuredRun.Load([directory]), workstationGc: false);
        var (workstation, _) = MeasuredFigures.Read(MeasuredRun.Load([directory]), workstationGc: true);

        Assert.Equal(30, server.Replica.ConnectionKiB);
        Assert.Contains("idle-new.json", serverInputs[0].Source, StringComparison.Ordinal);
        Assert.Equal(20, workstation.Replica.ConnectionKiB);
    }

    [Fact]
    public void A_figure_no_run_measured_falls_back_to_the_documented_one_and_says_so()
    {
        File.WriteAllText(Path.Combine(directory, "unrelated.json"), """{ "name": "not a bench run" }""");

        var (figures, inputs) = MeasuredFigures.Read(MeasuredRun.Load([directory, Path.Combine(directory, "absent")]), workstationGc: false);

        Assert.All(inputs, input => Assert.True(input.Fallback));
        Assert.All(inputs, input => Assert.StartsWith("NOT MEASURED", input.Source, StringComparison.Ordinal));
        Assert.Equal(31.9, figures.Replica.ConnectionKiB);
        Assert.Equal(2.2, figures.Redis.SubscriberUs);
    }

    [Fact]
    public void Slope_is_least_squares() =>
        Assert.Equal(2, MeasuredFigures.Slope([(1, 50), (2, 52), (4, 56), (16, 80)]), 9);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private void WriteIdle(string name, string measuredAt, double perConnection) =>
        File.WriteAllText(Path.Combine(directory, name), $$"""
            {
              "scenario": "idle", "parameters": { "connections": "10000", "replicas": "1" }, "measuredAt": "{{measuredAt}}",
              "figures": [ { "name": "working set per connection", "value": {{perConnection}}, "unit": "KiB" },
                           { "name": "working set before", "value": 100, "unit": "MiB" } ]
            }
            """);
}
