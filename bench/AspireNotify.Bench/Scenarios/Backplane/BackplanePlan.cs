using AspireNotify.Bench.Cluster;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>What <c>bench/run.sh backplane</c> runs, from its options, with the defaults docs/scaling.md used.</summary>
internal sealed record BackplanePlan(IReadOnlyList<BenchBackplane> Backplanes, IReadOnlyList<int> ReplicaCounts, int Users, int Listeners,
    double Rate, WindowTimes Window, IReadOnlyList<double> Ramp, IReadOnlyList<double> Direct, IReadOnlyList<double> DirectBroadcast,
    IReadOnlyList<int> FanOut, double FanOutRate, int RampReplicas, WindowTimes Step)
{
    public static BackplanePlan Parse(BenchOptions options)
    {
        var (idle, warmUp) = (options.Seconds("idle", 2), options.Seconds("warm-up", 2));
        return new BackplanePlan(
            [.. BenchBackplane.Parse(options.List("topology", "standalone,cluster,replicated"), options.Counts("wait", "1,0"), options.Count("primaries", 3))],
            options.Counts("replicas", "1,2,4"), options.Count("users", 1000), options.Count("listeners", 2), options.Number("rate", 500),
            new WindowTimes(idle, warmUp, options.Seconds("duration", 10)),
            options.Numbers("ramp", "1000,2000,3000,4000,5000"), options.Numbers("direct", "5000,10000,15000,20000,25000,30000"),
            options.Numbers("direct-broadcast", "5000,10000,15000,20000,25000,30000"), options.Counts("fan-out", "1,2,4,8,16"),
            options.Number("fan-out-rate", 5000), options.Count("ramp-replicas", 2),
            // A ramp's steps follow one another on a warm cluster: a second at the new rate is enough.
            new WindowTimes(idle, TimeSpan.FromSeconds(Math.Min(1, warmUp.TotalSeconds)), options.Seconds("ramp-step", 5)));
    }

    public Dictionary<string, string> Parameters() => new()
    {
        ["backplanes"] = string.Join(" | ", Backplanes.Select(b => b.Name)), ["replicas"] = string.Join(",", ReplicaCounts),
        ["users"] = $"{Users}", ["broadcast listeners per replica"] = $"{Listeners}", ["rate"] = $"{Rate}/s",
        ["duration"] = $"{Window.Measured.TotalSeconds} s", ["ramp"] = Rates(Ramp), ["direct"] = Rates(Direct),
        ["direct broadcast"] = Rates(DirectBroadcast), ["fan-out clients"] = string.Join(",", FanOut), ["fan-out rate"] = $"{FanOutRate}/s",
        ["ramp replicas"] = $"{RampReplicas}", ["ramp step"] = $"{Step.Measured.TotalSeconds} s",
    };

    private static string Rates(IReadOnlyList<double> rates) => rates.Count == 0 ? "none" : string.Join(",", rates) + "/s";
}
