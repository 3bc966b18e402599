using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// Per-user publishes at rising rates against one backplane, until a redis-server uses (nearly) a whole core — a
/// redis-server runs commands on one thread, so that is its limit — or the publishes stop keeping up or fail.
/// </summary>
internal static class SaturationRamp
{
    /// <summary>A redis-server this busy is at its limit; the rest of its core goes to I/O and the kernel.</summary>
    public const double SaturatedCores = 0.9;

    /// <summary>Below this share of the offered rate accepted, the publishers are queueing, whatever the cause.</summary>
    public const double KeptUp = 0.9;

    public static async Task<List<BackplaneMeasurement>> RunAsync(BenchBackplane backplane, int replicas, int users, IReadOnlyList<double> rates,
        WindowTimes step)
    {
        Console.WriteLine($"ramp: {backplane.Name}, {replicas} replicas, {users} users, {string.Join(", ", rates)} per-user publishes/s");
        await using var cluster = await BenchCluster.StartAsync(replicas, backplane);
        try
        {
            return await StepsAsync(cluster, backplane.Name, users, rates, step);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw BackplaneParts.Explain(exception, cluster.Backplane);
        }
    }

    /// <summary>Whether a ramp ends at this step: a redis-server at its limit, or publishes refused, lost or falling behind.</summary>
    public static bool Stops(BackplaneMeasurement measured) =>
        measured.BusiestRedisCores >= SaturatedCores || measured.Failed > 0 || measured.Lost > 0 || measured.AcceptedPerSecond < KeptUp * measured.OfferedRate;

    private static async Task<List<BackplaneMeasurement>> StepsAsync(LocalCluster cluster, string backplane, int users, IReadOnlyList<double> rates,
        WindowTimes step)
    {
        using var sources = new SourceAddresses(2);
        var recorder = new LatencyRecorder();
        var receivers = await Receivers.UsersAsync(cluster, users, sources, recorder);
        // Deep enough that the publisher is not what limits the rate (each publish holds a slot until its 202).
        using var publisher = new LoadPublisher(cluster.Replicas.Select(r => r.BaseAddress), maxInFlight: 2048);
        var window = new TrafficWindow(cluster, backplane, "per-user ramp", receivers, recorder, publisher,
            random => Receivers.UserPath($"bp-{random.Next(users)}"));
        var steps = new List<BackplaneMeasurement>();
        foreach (var rate in rates)
        {
            steps.Add(await window.MeasureAsync(rate, step));
            if (Stops(steps[^1]))
            {
                break;
            }
        }

        await receivers.CloseAsync();
        return steps;
    }

    /// <summary>Why the ramp stopped at its last step, in words for the table.</summary>
    public static string Limit(BackplaneMeasurement last) =>
        last.BusiestRedisCores >= SaturatedCores ? "a redis-server at one core"
        : last.Failed > 0 ? "publishes failed"
        : last.Lost > 0 ? "messages lost"
        : last.AcceptedPerSecond < KeptUp * last.OfferedRate ? "publishes not keeping up with the offered rate"
        : "none within the rates tried";
}
