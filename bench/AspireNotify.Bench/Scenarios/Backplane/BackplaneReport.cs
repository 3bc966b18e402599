using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>The backplane scenario's figures, its JSON series, and the markdown tables docs/scaling.md shows.</summary>
internal static class BackplaneReport
{
    public static void Add(ScenarioResult result, IReadOnlyList<BackplaneMeasurement> measurements, IReadOnlyList<List<BackplaneMeasurement>> ramps)
    {
        foreach (var measured in measurements)
        {
            result.Add($"{measured.Backplane}, {measured.Replicas} replicas, {measured.Traffic}: Redis CPU per 1,000 messages", measured.RedisCpuPerThousand, "ms");
        }

        foreach (var ramp in ramps.Where(ramp => ramp.Count > 0))
        {
            var sustained = ramp.Where(step => step.Failed == 0 && step.AcceptedPerSecond >= SaturationRamp.KeptUp * step.OfferedRate).ToList();
            var best = sustained.Count > 0 ? sustained[^1] : ramp[0];
            var name = $"{best.Backplane}, {best.Traffic}";
            result.Add($"{name}: highest rate sustained", sustained.Count > 0 ? best.AcceptedPerSecond : 0, "/s")
                .Add($"{name}: busiest redis-server then", best.BusiestRedisCores, "cores")
                .Add($"{name}: one core's worth at that Redis CPU per message", best.RedisCpuPerThousand > 0 ? 1_000_000 / best.RedisCpuPerThousand : 0, "/s");
        }

        var all = measurements.Concat(ramps.SelectMany(ramp => ramp)).ToList();
        // A ramp's receivers and publisher span its steps, so its last step counts the losses of all of them.
        var lost = measurements.Sum(m => m.Lost) + ramps.Where(ramp => ramp.Count > 0).Sum(ramp => ramp[^1].Lost);
        result.Add("messages accepted", all.Sum(m => m.Accepted), "")
            .Add("publish errors", all.Sum(m => m.Failed), "")
            .Add("deliveries", all.Sum(m => m.Deliveries), "")
            .Add("acknowledged messages lost", lost, "", "0", lost == 0);
        result.Series["measurements"] = measurements;
        result.Series["ramps"] = ramps;
        result.Series["markdown"] = Print(measurements, ramps);
    }

    private static List<string> Print(IReadOnlyList<BackplaneMeasurement> measurements, IReadOnlyList<List<BackplaneMeasurement>> ramps)
    {
        List<string> lines = [BackplaneMeasurement.MarkdownHeader, .. measurements.Select(m => m.ToMarkdownRow())];
        if (ramps.Count > 0)
        {
            lines.AddRange(["", BackplaneMeasurement.MarkdownHeader, .. ramps.SelectMany(ramp => ramp.Select(step => step.ToMarkdownRow()))]);
            lines.AddRange(ramps.Where(ramp => ramp.Count > 0).Select(ramp => $"- {ramp[0].Backplane}, {ramp[0].Traffic}: stopped by {SaturationRamp.Limit(ramp[^1])}"));
        }

        Console.WriteLine();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return lines;
    }
}
