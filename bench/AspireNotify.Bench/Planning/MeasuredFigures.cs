using System.Globalization;

namespace AspireNotify.Bench.Planning;

/// <summary>
/// The one place that maps bench JSON to the capacity model's inputs: for each input, which kind of run measures it,
/// how to read it, and the figure docs/scaling.md quotes, used (and said so) when no run has it. The newest run of the
/// kind that has the figure wins.
/// </summary>
public static class MeasuredFigures
{
    private const string Subject = "aspirenotify";

    /// <summary>Only a backplane run whose Redis-alone ramp went to 20,000/s or beyond (the default command) extrapolates one core
    /// from a comparable rate: a shorter ramp stops where each message costs Redis more.</summary>
    private const double FullDirectRamp = 20_000;

    private sealed record Source(string What, string Unit, Func<MeasuredRun, bool> Kind, Func<MeasuredRun, double?> Read, double Fallback, string Cited);

    public static (CapacityFigures Figures, IReadOnlyList<MeasuredInput> Inputs) Read(IReadOnlyList<MeasuredRun> runs, bool workstationGc)
    {
        var inputs = new List<MeasuredInput>();
        double Take(Source source)
        {
            var input = Resolve(source, runs);
            inputs.Add(input);
            return input.Value;
        }

        return (new CapacityFigures(ReadReplica(Take, workstationGc), ReadRedis(Take)), inputs);
    }

    private static ReplicaFigures ReadReplica(Func<Source, double> take, bool workstationGc)
    {
        var gc = workstationGc ? "workstation GC" : "Server GC";
        return new ReplicaFigures(
            ConnectionKiB: take(new($"working set per idle connection ({gc})", "KiB", run => IsIdle(run, workstationGc),
                run => run.Figure("working set per connection"), workstationGc ? 22.4 : 31.9, "docs/scaling.md, Memory per connection")),
            BaseMiB: take(new($"working set of a replica before any connection ({gc})", "MiB", run => IsIdle(run, workstationGc),
                run => run.Figure("working set before"), workstationGc ? 107.7 : 106.4, "docs/scaling.md, Memory per connection")),
            SoakWorkingSetMiB: take(new("highest working set of a soak replica under traffic, after warm-up (Server GC)", "MiB", run => run.Kind == "soak",
                SoakWorkingSet, 274.7, "docs/scaling.md, Soak (200–275 MiB)")),
            SoakConnections: take(new("connections per soak replica", "", run => run.Kind == "soak",
                run => Number(run, "connections") / Number(run, "replicas"), 1000, "docs/scaling.md, Soak (2,000 over 2 replicas)")),
            ConnectMs: take(new("API CPU per connect (opening it and holding it for the run's hold)", "ms", run => run.Kind == "compare idle",
                ConnectCpu, 1.70, "docs/scaling.md, Side by side (8.48 s for 5,000)")),
            PublishUs: take(new("API CPU per per-user publish through HTTP with its one delivery (highest sustained step, standalone ramp)", "µs",
                run => run.Kind == "backplane", run => RampClientCpu(run, "standalone", "per-user ramp"), 357, "docs/scaling.md, The backplane itself (0.36–0.49 ms)")),
            DeliveryUs: take(new("API CPU per broadcast delivery (the side-by-side steady phase)", "µs", run => run.Kind == "compare broadcast",
                DeliveryCpu, 29.7, "docs/scaling.md, Side by side (14.7 s for 495,000)")),
            Wait1PublishesPerReplica: take(new("per-user publishes/s one API replica sustained with WAIT 1 (highest sustained ramp step ÷ its replicas)", "/s",
                run => run.Kind == "backplane", run => run.Figure("primary + replica, WAIT 1, per-user ramp: highest rate sustained") / Number(run, "ramp replicas"),
                500, "docs/scaling.md, What WAIT costs (~1,000/s for two replicas)")));
    }

    private static RedisFigures ReadRedis(Func<Source, double> take) => new(
        ConnectUs: take(new("Redis CPU per connect (lease, subscription)", "µs", run => run.Kind == "compare idle",
            ConnectRedisCpu, 86, "docs/scaling.md, Side by side (0.43 s for 5,000)")),
        StandalonePublishesPerCore: take(new("per-user publishes per redis-server core, standalone", "/s", IsFullBackplane,
            run => OneCore(run, "standalone, per-user"), 20_000, "docs/scaling.md, Where one Redis is the limit")),
        ClusterPublishesPerCore: take(new("per-user publishes per core of each cluster primary (the cluster's rate at one core on its busiest ÷ primaries)", "/s",
            IsFullBackplane, ClusterPerPrimary, 20_000, "docs/scaling.md, Where one Redis is the limit (≈ 60,000/s for 3)")),
        Wait0PublishesPerCore: take(new("per-user publishes per primary core with one replica, WAIT 0", "/s", IsFullBackplane,
            run => OneCore(run, "primary + replica, WAIT 0, per-user"), 19_000, "docs/scaling.md, Where one Redis is the limit")),
        Wait1PublishesPerCore: take(new("per-user publishes per primary core with one replica, WAIT 1", "/s", IsFullBackplane,
            run => OneCore(run, "primary + replica, WAIT 1, per-user"), 10_000, "docs/scaling.md, Where one Redis is the limit (~5,000/s at 0.5 core)")),
        BroadcastsPerCore: take(new("broadcasts per redis-server core, standalone", "/s", IsFullBackplane,
            run => OneCore(run, "standalone, broadcast"), 28_000, "docs/scaling.md, Where one Redis is the limit")),
        BroadcastSubscribers: take(new("subscribers of the broadcast channel then", "", IsFullBackplane,
            run => Number(run, "ramp replicas"), 2, "docs/scaling.md, Where one Redis is the limit (broadcast to 2)")),
        SubscriberUs: take(new("Redis CPU each further subscriber adds to a message (slope of the standalone fan-out)", "µs", run => run.Kind == "backplane",
            FanOutSlope, 2.2, "docs/scaling.md, What each subscribed replica adds")));

    private static MeasuredInput Resolve(Source source, IReadOnlyList<MeasuredRun> runs)
    {
        var newest = runs.Where(source.Kind).OrderByDescending(run => run.MeasuredAt)
            .Select(run => (Run: run, Value: source.Read(run))).FirstOrDefault(found => found.Value is > 0 && double.IsFinite(found.Value.Value));
        return newest.Run is null
            ? new MeasuredInput(source.What, source.Fallback, source.Unit, $"NOT MEASURED in any run: fallback from {source.Cited}", Fallback: true)
            : new MeasuredInput(source.What, newest.Value!.Value, source.Unit, newest.Run.Describe(), Fallback: false);
    }

    // The idle JSON does not record the GC mode: figures.sh names the workstation run idle-workstation-gc.json.
    private static bool IsIdle(MeasuredRun run, bool workstationGc) =>
        run.Kind == "idle" && Number(run, "connections") >= 1000 && Path.GetFileName(run.File).Contains("workstation", StringComparison.Ordinal) == workstationGc;

    private static bool IsFullBackplane(MeasuredRun run) =>
        run.Kind == "backplane" && run.Parameter("direct") is { } direct &&
        direct.TrimEnd('/', 's').Split(',').Select(rate => double.TryParse(rate, CultureInfo.InvariantCulture, out var r) ? r : 0).Max() >= FullDirectRamp;

    private static double? SoakWorkingSet(MeasuredRun run) =>
        Enumerable.Range(0, (int)Number(run, "replicas")).Select(i => run.Figure($"replica {i} working set after warm-up, max")).Max();

    private static double? ConnectCpu(MeasuredRun run) =>
        run.TargetFigure(Subject, $"server CPU to open them and hold them {run.Parameter("hold")}") * 1000 / run.TargetFigure(Subject, "connections held");

    private static double? ConnectRedisCpu(MeasuredRun run) =>
        run.TargetFigure(Subject, "Redis CPU meanwhile") * 1e6 / run.TargetFigure(Subject, "connections held");

    // The steady phase's figures are named after its rate ("at 50,000/s: …"), which the parameters spell as written.
    private static double? DeliveryCpu(MeasuredRun run) =>
        run.Parameter("rate")?.Replace(" deliveries/s", "/s", StringComparison.Ordinal) is { } rate
            ? run.TargetFigure(Subject, $"at {rate}: server CPU, all instances") * 1e6 / run.TargetFigure(Subject, $"at {rate}: deliveries made")
            : null;

    private static double? OneCore(MeasuredRun run, string part) =>
        run.Figure($"{part}, Redis alone: rate at which the busiest redis-server would use one core");

    private static double? ClusterPerPrimary(MeasuredRun run) =>
        run.Parameter("backplanes")?.Split(" | ").FirstOrDefault(b => b.StartsWith("cluster of ", StringComparison.Ordinal)) is { } cluster
            ? OneCore(run, $"{cluster}, per-user") / double.Parse(cluster["cluster of ".Length..], CultureInfo.InvariantCulture)
            : null;

    /// <summary>API CPU per message (µs) at the highest step of a through-the-API ramp that kept up (≥ 90 % accepted, no errors).</summary>
    private static double? RampClientCpu(MeasuredRun run, string backplane, string traffic) =>
        run.Series("ramps")
            .Where(step => step.GetProperty("backplane").GetString() == backplane && step.GetProperty("traffic").GetString() == traffic)
            .Where(step => step.GetProperty("failed").GetInt64() == 0 && step.GetProperty("acceptedPerSecond").GetDouble() >= 0.9 * step.GetProperty("offeredRate").GetDouble())
            .Select(step => (double?)step.GetProperty("clientCpuPerThousand").GetDouble())
            .LastOrDefault();

    /// <summary>Least squares of Redis CPU per message against the number of subscribed clients, standalone fan-out.</summary>
    private static double? FanOutSlope(MeasuredRun run)
    {
        var points = run.Series("fanOuts").Where(step => step.GetProperty("backplane").GetString() == "standalone")
            .Select(step => (X: (double)step.GetProperty("replicas").GetInt32(), Y: step.GetProperty("redisCpuPerThousand").GetDouble())).ToList();
        return points.Count < 2 ? null : Slope(points);
    }

    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        var (meanX, meanY) = (points.Average(p => p.X), points.Average(p => p.Y));
        return points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / points.Sum(p => (p.X - meanX) * (p.X - meanX));
    }

    private static double Number(MeasuredRun run, string parameter) =>
        double.TryParse(run.Parameter(parameter)?.Split(' ')[0], CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
}
