using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>The API replicas on one backplane, the sockets that receive one kind of traffic, and the publisher sending it.</summary>
internal sealed record TrafficWindow(LocalCluster Cluster, string Backplane, string Traffic, Receivers Receivers, LatencyRecorder Recorder,
    LoadPublisher Publisher, Func<Random, string> Pick)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Redis's CPU with nothing published first (what it spends anyway), then a warm-up, then the measured window at
    /// <paramref name="rate"/>, then a bounded wait for late deliveries, each missing one counted as lost.
    /// </summary>
    public async Task<BackplaneMeasurement> MeasureAsync(double rate, WindowTimes times)
    {
        var idle = CpuSnapshot.Take(Cluster.Backplane.ProcessIds);
        await Task.Delay(times.Idle);
        var idlePerSecond = idle.SecondsSince().Sum() / times.Idle.TotalSeconds;
        if (times.WarmUp > TimeSpan.Zero)
        {
            await Publisher.RunAsync(rate, times.WarmUp, Pick);
        }

        Recorder.Clear();
        Publisher.ClearAcknowledgeLatency();
        var (accepted, failed) = (Publisher.Accepted, Publisher.Failed);
        var cpu = WindowCpu.Start(Cluster.Backplane.ProcessIds, [.. Cluster.Replicas.Select(replica => replica.Process.Id)]);
        var clock = Stopwatch.StartNew();
        await Publisher.RunAsync(rate, times.Measured, Pick);
        var (seconds, spent) = (clock.Elapsed.TotalSeconds, cpu());
        var lost = await Receivers.LostAsync(Publisher, DrainTimeout);
        var delivered = Recorder.Summarize();
        var measured = new BackplaneMeasurement(Backplane, Cluster.Replicas.Count, Traffic, rate, seconds, Publisher.Accepted - accepted,
            Publisher.Failed - failed, delivered.Count, lost, spent, idlePerSecond, Publisher.AcknowledgeLatency, delivered)
        {
            SocketsEnded = Receivers.Ended(),
        };
        Console.WriteLine($"  {Backplane}, {measured.Replicas} replicas, {Traffic} at {rate:#,0}/s: {measured.AcceptedPerSecond:#,0}/s accepted, " +
                          $"{measured.Failed} errors, {lost} lost{(measured.SocketsEnded.Length > 0 ? $" (sockets ended: {measured.SocketsEnded})" : "")}, Redis {measured.RedisCpuPerThousand:0.0} ms per 1,000, busiest {measured.BusiestRedisCores:0.00} cores");
        return measured;
    }
}

/// <summary>How long a window looks at Redis doing nothing, warms up, and measures.</summary>
internal sealed record WindowTimes(TimeSpan Idle, TimeSpan WarmUp, TimeSpan Measured);
