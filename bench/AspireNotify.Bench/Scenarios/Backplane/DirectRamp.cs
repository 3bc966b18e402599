using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// Redis alone (<see cref="DirectBackplane"/>: no API, no sockets) at rising publish rates, until a redis-server uses
/// (nearly) a whole core, the publishes stop keeping up, or some fail: where one Redis is the limit. And broadcasts at
/// one rate to more and more subscribed clients: what each subscribed replica adds.
/// </summary>
internal static class DirectRamp
{
    /// <summary>Per-user publishes to <paramref name="users"/> streams, or with 0 users broadcasts.</summary>
    public static async Task<List<BackplaneMeasurement>> RunAsync(BenchBackplane backplane, int replicas, int users, IReadOnlyList<double> rates,
        WindowTimes times)
    {
        var traffic = users > 0 ? "per-user, Redis alone" : "broadcast, Redis alone";
        Console.WriteLine($"direct ramp: {backplane.Name}, {traffic}, {replicas} clients, {string.Join(", ", rates)} publishes/s");
        await using var redis = backplane.Start();
        // One server alone has no exit handler of its own; a stopped run must not leave it behind.
        using var cleanup = new ExitCleanup(redis.Kill);
        await redis.StartAsync();
        await using var direct = await DirectBackplane.ConnectAsync(redis, replicas, users, backplane.Sharded, backplane.Wait);
        using var pacer = new DirectPacer(direct, new LatencyRecorder());
        var steps = new List<BackplaneMeasurement>();
        foreach (var rate in rates)
        {
            steps.Add(await MeasureAsync(new Subject(backplane.Name, replicas, traffic, redis, direct, pacer), rate, times));
            if (SaturationRamp.Stops(steps[^1]))
            {
                break;
            }
        }

        return steps;
    }

    /// <summary>Broadcasts at <paramref name="rate"/> to 1, 2, 4… subscribed clients, one window each, on one deployment.</summary>
    public static async Task<List<BackplaneMeasurement>> FanOutAsync(BenchBackplane backplane, IReadOnlyList<int> clientCounts, double rate,
        WindowTimes times)
    {
        Console.WriteLine($"direct fan-out: {backplane.Name}, broadcasts at {rate:#,0}/s to {string.Join(", ", clientCounts)} clients");
        await using var redis = backplane.Start();
        // One server alone has no exit handler of its own; a stopped run must not leave it behind.
        using var cleanup = new ExitCleanup(redis.Kill);
        await redis.StartAsync();
        var steps = new List<BackplaneMeasurement>();
        foreach (var clients in clientCounts)
        {
            await using var direct = await DirectBackplane.ConnectAsync(redis, clients, users: 0, backplane.Sharded, backplane.Wait);
            using var pacer = new DirectPacer(direct, new LatencyRecorder());
            steps.Add(await MeasureAsync(new Subject(backplane.Name, clients, "broadcast fan-out, Redis alone", redis, direct, pacer), rate, times));
        }

        return steps;
    }

    private static async Task<BackplaneMeasurement> MeasureAsync(Subject subject, double rate, WindowTimes times)
    {
        try
        {
            return await MeasureWindowAsync(subject, rate, times);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw BackplaneParts.Explain(exception, subject.Redis);
        }
    }

    private static async Task<BackplaneMeasurement> MeasureWindowAsync(Subject subject, double rate, WindowTimes times)
    {
        var (redis, direct, pacer) = (subject.Redis, subject.Direct, subject.Pacer);
        await pacer.RunAsync(rate, times.WarmUp);
        var (accepted, failed, received) = (pacer.Accepted, pacer.Failed, direct.Received);
        pacer.Latencies.Clear();
        var cpu = WindowCpu.Start(redis.ProcessIds, [Environment.ProcessId]);
        var clock = Stopwatch.StartNew();
        await pacer.RunAsync(rate, times.Measured);
        var (seconds, spent) = (clock.Elapsed.TotalSeconds, cpu());
        long Missing() => Math.Max(0, pacer.Accepted * direct.SubscribersPerStream - direct.Received);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Missing() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        // The load tool stands where the API replicas would: it is the client side of the same commands.
        var measured = new BackplaneMeasurement(subject.Name, subject.Clients, subject.Traffic, rate, seconds, pacer.Accepted - accepted,
            pacer.Failed - failed, direct.Received - received, Missing(), spent, 0, pacer.Latencies.Summarize(), new LatencySummary(0, 0, 0, 0, 0));
        Console.WriteLine($"  {subject.Name}, {subject.Traffic}, {subject.Clients} clients at {rate:#,0}/s: {measured.AcceptedPerSecond:#,0}/s, " +
                          $"{measured.Failed} failed, {measured.Lost} lost, busiest redis-server {measured.BusiestRedisCores:0.00} cores, " +
                          $"{measured.RedisCpuPerThousand:0.0} ms per 1,000");
        return measured;
    }

    private sealed record Subject(string Name, int Clients, string Traffic, IRedisDeployment Redis, DirectBackplane Direct, DirectPacer Pacer);
}
