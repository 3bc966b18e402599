using AspireNotify.Bench.Reporting;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>The backplane scenario's figures, its JSON series, and the markdown tables docs/scaling.md shows.</summary>
internal static class BackplaneReport
{
    /// <param name="measurements">Windows of their own: each counts its own losses.</param>
    /// <param name="ramps">Steps that share their receivers: the last step of each counts the losses of all.</param>
    /// <param name="fanOuts">Windows of their own, with Redis alone.</param>
    /// <param name="failures">Parts that measured nothing, and why.</param>
    public static void Add(ScenarioResult result, IReadOnlyList<BackplaneMeasurement> measurements, IReadOnlyList<List<BackplaneMeasurement>> ramps,
        IReadOnlyList<BackplaneMeasurement> fanOuts, IReadOnlyList<string> failures)
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
                // Linear from there: a redis-server's CPU per message falls as the rate rises (more commands per wake-up), so this is low.
                .Add($"{name}: rate at which the busiest redis-server would use one core", best.BusiestRedisCores > 0 ? best.AcceptedPerSecond / best.BusiestRedisCores : 0, "/s");
        }

        var all = measurements.Concat(ramps.SelectMany(ramp => ramp)).Concat(fanOuts).ToList();
        var lost = measurements.Concat(fanOuts).Sum(m => m.Lost) + ramps.Where(ramp => ramp.Count > 0).Sum(ramp => ramp[^1].Lost);
        result.Add("messages accepted", all.Sum(m => m.Accepted), "")
            .Add("publish errors", all.Sum(m => m.Failed), "")
            .Add("deliveries", all.Sum(m => m.Deliveries), "")
            .Add("acknowledged messages lost", lost, "", "0", lost == 0)
            .Add("parts failed", failures.Count, "", "0", failures.Count == 0);
        result.Series["failures"] = failures;
        result.Series["measurements"] = measurements;
        result.Series["ramps"] = ramps.Where(ramp => ramp.Count > 0).ToList();
        result.Series["fanOuts"] = fanOuts;
        result.Series["markdown"] = Print(measurements, ramps, fanOuts);
    }

    private static List<string> Print(IReadOnlyList<BackplaneMeasurement> measurements, IReadOnlyList<List<BackplaneMeasurement>> ramps,
        IReadOnlyList<BackplaneMeasurement> fanOuts)
    {
        List<string> lines = [BackplaneMeasurement.MarkdownHeader, .. measurements.Select(m => m.ToMarkdownRow())];
        if (fanOuts.Count > 0)
        {
            lines.AddRange(["", BackplaneMeasurement.MarkdownHeader, .. fanOuts.Select(m => m.ToMarkdownRow())]);
        }

        if (ramps.Any(ramp => ramp.Count > 0))
        {
            lines.AddRange(["", BackplaneMeasurement.MarkdownHeader, .. ramps.SelectMany(ramp => ramp.Select(step => step.ToMarkdownRow()))]);
            lines.AddRange(ramps.Where(ramp => ramp.Count > 0).Select(ramp =>
                $"- {ramp[0].Backplane}, {ramp[0].Traffic}: stopped by {SaturationRamp.Limit(ramp[^1])} (busiest redis-server at {ramp[^1].BusiestRedisCores:0.00} cores)"));
        }

        Console.WriteLine();
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return lines;
    }
}
