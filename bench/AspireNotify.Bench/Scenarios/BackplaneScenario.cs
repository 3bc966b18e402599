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
/// (<c>--ramp</c>) and with the load tool driving Redis alone (<c>--direct</c>, <c>--direct-broadcast</c>, <c>--fan-out</c>).
/// </summary>
internal static class BackplaneScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var plan = BackplanePlan.Parse(options);
        var result = new ScenarioResult("backplane", plan.Parameters());
        var parts = new BackplaneParts();
        var measurements = new List<BackplaneMeasurement>();
        foreach (var (backplane, replicas) in plan.Backplanes.SelectMany(b => plan.ReplicaCounts.Select(n => (b, n))))
        {
            measurements.AddRange(await parts.RunAsync($"{backplane.Name}, {replicas} API replicas", () => MeasureAsync(backplane, replicas, plan)) ?? []);
        }

        var ramps = new List<List<BackplaneMeasurement>>();
        foreach (var backplane in plan.Backplanes)
        {
            ramps.Add(plan.Ramp.Count == 0 ? [] : await parts.RunAsync($"{backplane.Name}, ramp through the API",
                () => SaturationRamp.RunAsync(backplane, plan.RampReplicas, plan.Users, plan.Ramp, plan.Step)) ?? []);
            ramps.Add(plan.Direct.Count == 0 ? [] : await parts.RunAsync($"{backplane.Name}, per-user ramp on Redis alone",
                () => DirectRamp.RunAsync(backplane, plan.RampReplicas, plan.Users, plan.Direct, plan.Step)) ?? []);
            ramps.Add(plan.DirectBroadcast.Count == 0 ? [] : await parts.RunAsync($"{backplane.Name}, broadcast ramp on Redis alone",
                () => DirectRamp.RunAsync(backplane, plan.RampReplicas, users: 0, plan.DirectBroadcast, plan.Step)) ?? []);
        }

        var fanOuts = new List<BackplaneMeasurement>();
        foreach (var backplane in plan.FanOut.Count == 0 ? [] : plan.Backplanes)
        {
            fanOuts.AddRange(await parts.RunAsync($"{backplane.Name}, fan-out on Redis alone",
                () => DirectRamp.FanOutAsync(backplane, plan.FanOut, plan.FanOutRate, plan.Step)) ?? []);
        }

        BackplaneReport.Add(result, measurements, ramps, fanOuts, parts.Failures);
        return result;
    }

    /// <summary>One backplane with N replicas: per-user messages to one socket per user, then broadcasts to a few listeners per replica.</summary>
    private static async Task<BackplaneMeasurement[]> MeasureAsync(BenchBackplane backplane, int replicas, BackplanePlan plan)
    {
        Console.WriteLine($"{backplane.Name}, {replicas} API replicas");
        await using var cluster = await BenchCluster.StartAsync(replicas, backplane);
        try
        {
            return await MeasureAsync(cluster, backplane.Name, plan);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw BackplaneParts.Explain(exception, cluster.Backplane);
        }
    }

    private static async Task<BackplaneMeasurement[]> MeasureAsync(LocalCluster cluster, string backplane, BackplanePlan plan)
    {
        using var sources = new SourceAddresses(2);
        var recorder = new LatencyRecorder();
        var users = await Receivers.UsersAsync(cluster, plan.Users, sources, recorder);
        BackplaneMeasurement perUser;
        using (var publisher = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress)))
        {
            perUser = await new TrafficWindow(cluster, backplane, "per-user", users, recorder, publisher,
                random => Receivers.UserPath($"bp-{random.Next(plan.Users)}")).MeasureAsync(plan.Rate, plan.Window);
        }

        // Per-user sockets would receive the broadcasts too; only the listeners are there for them.
        await users.CloseAsync();
        recorder = new LatencyRecorder();
        var listeners = await Receivers.ListenersAsync(cluster, plan.Listeners, sources, recorder);
        using var broadcaster = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress));
        var broadcast = await new TrafficWindow(cluster, backplane, "broadcast", listeners, recorder, broadcaster,
            _ => Receivers.BroadcastPath).MeasureAsync(plan.Rate, plan.Window);
        await listeners.CloseAsync();
        return [perUser, broadcast];
    }
}
