using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Scenarios.Backplane;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios;

/// <summary>
/// The Redis side of the backplane: Redis CPU per 1,000 messages, per-user and broadcast, with 1, 2, 4… API replicas
/// subscribed, on one server (classic pub/sub), on a Redis Cluster (sharded pub/sub) and on a primary with a replica
/// (with and without WAIT); the latency each adds; and the rate at which one Redis is the limit, through the API
/// (<c>--ramp</c>) and with the load tool driving Redis alone (<c>--direct</c>).
/// </summary>
internal static class BackplaneScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var backplanes = BenchBackplane.Parse(options.List("topology", "standalone,cluster,replicated"), options.Counts("wait", "1,0"),
            options.Count("primaries", 3)).ToList();
        var replicaCounts = options.Counts("replicas", "1,2,4");
        var (idle, warmUp) = (options.Seconds("idle", 2), options.Seconds("warm-up", 2));
        var load = new Load(options.Count("users", 1000), options.Count("listeners", 2), options.Number("rate", 500),
            new WindowTimes(idle, warmUp, options.Seconds("duration", 10)));
        var (ramp, direct) = (options.Numbers("ramp", "1000,2000,3000,4000,5000"), options.Numbers("direct", "5000,10000,15000,20000,25000,30000"));
        var (directBroadcast, fanOut) = (options.Numbers("direct-broadcast", "5000,10000,15000,20000,25000,30000"), options.Counts("fan-out", "1,2,4,8,16"));
        var (rampReplicas, step) = (options.Count("ramp-replicas", 2), new WindowTimes(idle, TimeSpan.FromSeconds(1), options.Seconds("ramp-step", 5)));
        var result = new ScenarioResult("backplane", new Dictionary<string, string>
        {
            ["backplanes"] = string.Join(" | ", backplanes.Select(b => b.Name)), ["replicas"] = string.Join(",", replicaCounts),
            ["users"] = $"{load.Users}", ["broadcast listeners per replica"] = $"{load.Listeners}", ["rate"] = $"{load.Rate}/s",
            ["duration"] = $"{load.Times.Measured.TotalSeconds} s", ["ramp"] = Rates(ramp), ["direct"] = Rates(direct),
            ["direct broadcast"] = Rates(directBroadcast), ["fan-out clients"] = string.Join(",", fanOut),
            ["fan-out rate"] = $"{options.Number("fan-out-rate", 5000)}/s", ["ramp replicas"] = $"{rampReplicas}", ["ramp step"] = $"{step.Measured.TotalSeconds} s",
        });
        var measurements = new List<BackplaneMeasurement>();
        foreach (var (backplane, replicas) in backplanes.SelectMany(b => replicaCounts.Select(n => (b, n))))
        {
            measurements.AddRange(await MeasureAsync(backplane, replicas, load));
        }

        var ramps = new List<List<BackplaneMeasurement>>();
        foreach (var backplane in backplanes)
        {
            ramps.Add(ramp.Count == 0 ? [] : await SaturationRamp.RunAsync(backplane, rampReplicas, load.Users, ramp, step));
            ramps.Add(direct.Count == 0 ? [] : await DirectRamp.RunAsync(backplane, rampReplicas, load.Users, direct, step));
            ramps.Add(directBroadcast.Count == 0 ? [] : await DirectRamp.RunAsync(backplane, rampReplicas, users: 0, directBroadcast, step));
        }

        var fanOuts = new List<BackplaneMeasurement>();
        foreach (var backplane in fanOut.Count == 0 ? [] : backplanes)
        {
            fanOuts.AddRange(await DirectRamp.FanOutAsync(backplane, fanOut, options.Number("fan-out-rate", 5000), step));
        }

        BackplaneReport.Add(result, measurements, ramps, fanOuts);
        return result;
    }

    private static string Rates(IReadOnlyList<double> rates) => rates.Count == 0 ? "none" : string.Join(",", rates) + "/s";

    /// <summary>One backplane with N replicas: per-user messages to one socket per user, then broadcasts to a few listeners per replica.</summary>
    private static async Task<BackplaneMeasurement[]> MeasureAsync(BenchBackplane backplane, int replicas, Load load)
    {
        Console.WriteLine($"{backplane.Name}, {replicas} API replicas");
        await using var cluster = await BenchCluster.StartAsync(replicas, backplane);
        using var sources = new SourceAddresses(2);
        var recorder = new LatencyRecorder();
        var users = await Receivers.UsersAsync(cluster, load.Users, sources, recorder);
        BackplaneMeasurement perUser;
        using (var publisher = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress)))
        {
            perUser = await new TrafficWindow(cluster, backplane.Name, "per-user", users, recorder, publisher,
                random => Receivers.UserPath($"bp-{random.Next(load.Users)}")).MeasureAsync(load.Rate, load.Times);
        }

        // Per-user sockets would receive the broadcasts too; only the listeners are there for them.
        await users.CloseAsync();
        recorder = new LatencyRecorder();
        var listeners = await Receivers.ListenersAsync(cluster, load.Listeners, sources, recorder);
        using var broadcaster = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress));
        var broadcast = await new TrafficWindow(cluster, backplane.Name, "broadcast", listeners, recorder, broadcaster,
            _ => Receivers.BroadcastPath).MeasureAsync(load.Rate, load.Times);
        await listeners.CloseAsync();
        return [perUser, broadcast];
    }

    private sealed record Load(int Users, int Listeners, double Rate, WindowTimes Times);
}
