using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>The API replicas on one backplane, the sockets that receive one kind of traffic, and the publisher sending it.</summary>
internal sealed record TrafficWindow(LocalCluster Cluster, string Backplane, string Traffic, Receivers Receivers, LatencyRecorder Recorder,
    LoadPublisher Publisher, Func<Random, string> Pick)
{
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Redis's CPU with nothing published first (what it spends anyway), then a warm-up, then the measured window at
    /// <paramref name="rate"/>, then a bounded wait for late deliveries, each missing one counted as lost.
    /// </summary>
    public async Task<BackplaneMeasurement> MeasureAsync(double rate, TimeSpan warmUp, TimeSpan duration)
    {
        var idle = CpuSnapshot.Take(Cluster.Backplane.ProcessIds);
        await Task.Delay(IdleWindow);
        var idlePerSecond = idle.SecondsSince().Sum() / IdleWindow.TotalSeconds;
        if (warmUp > TimeSpan.Zero)
        {
            await Publisher.RunAsync(rate, warmUp, Pick);
        }

        Recorder.Clear();
        Publisher.ClearAcknowledgeLatency();
        var (accepted, failed) = (Publisher.Accepted, Publisher.Failed);
        var redis = CpuSnapshot.Take(Cluster.Backplane.ProcessIds);
        var api = CpuSnapshot.Take([.. Cluster.Replicas.Select(replica => replica.Process.Id)]);
        var clock = Stopwatch.StartNew();
        await Publisher.RunAsync(rate, duration, Pick);
        var seconds = clock.Elapsed.TotalSeconds;
        var (redisCpu, apiCpu) = (redis.SecondsSince(), api.SecondsSince());
        var lost = await Receivers.LostAsync(Publisher, DrainTimeout);
        var delivered = Recorder.Summarize();
        var measured = new BackplaneMeasurement(Backplane, Cluster.Replicas.Count, Traffic, rate, seconds, Publisher.Accepted - accepted,
            Publisher.Failed - failed, delivered.Count, lost, redisCpu.Sum(), redisCpu, idlePerSecond, apiCpu.Sum(),
            Publisher.AcknowledgeLatency, delivered);
        Console.WriteLine($"  {Backplane}, {measured.Replicas} replicas, {Traffic} at {rate:#,0}/s: {measured.AcceptedPerSecond:#,0}/s accepted, " +
                          $"{measured.Failed} errors, {lost} lost, Redis {measured.RedisCpuPerThousand:0.0} ms per 1,000, busiest {measured.BusiestRedisCores:0.00} cores");
        return measured;
    }
}
