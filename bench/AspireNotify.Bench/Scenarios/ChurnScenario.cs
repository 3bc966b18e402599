using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using AspireNotify.Bench.Reporting;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios;

/// <summary>
/// Churn: clients keep connecting, receiving and disconnecting (a clean close or an abort) on one replica for a set
/// time while messages flow to them. Every 1,000 connections opened, the replica's heap after an induced full
/// collection and its working set are sampled: anything a closed connection left behind shows as an upward trend.
/// </summary>
internal static class ChurnScenario
{
    private const int SampleEvery = 1000;

    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var (duration, clients, users, rate) = (options.Seconds("duration", 600), options.Count("clients", 200),
            options.Count("users", 1000), options.Number("rate", 200));
        var hold = options.Seconds("hold", 0.5);
        var result = new ScenarioResult("churn", new Dictionary<string, string>
        {
            ["replicas"] = "1", ["duration"] = $"{duration.TotalMinutes:0.#} min", ["concurrent clients"] = $"{clients}",
            ["users"] = $"{users}", ["mean hold"] = $"{hold.TotalMilliseconds:0} ms", ["user rate"] = $"{rate}/s",
        });
        await using var cluster = await BenchCluster.StartAsync(1);
        var replica = cluster.Replicas[0];
        using var sources = new SourceAddresses(options.Count("sources", 4));
        using var publisher = new LoadPublisher([replica.BaseAddress]);
        var churn = new Churn(replica.BaseAddress, sources, users, hold);
        var before = await replica.SettledHealthAsync();

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        var load = Task.WhenAll(
            Task.WhenAll(Enumerable.Range(0, clients).Select(client => churn.RunClientAsync(client, stop.Token))),
            publisher.RunAsync(rate, duration, random => $"/api/notifications/users/churn-{random.Next(users)}"));
        var samples = await SampleAsync(replica, churn, load, clock);
        await load;
        await WaitUntilEmptyAsync(replica);
        var final = await replica.SettledHealthAsync();
        samples.Add((churn.Opened, final.GcHeapBytes / 1024.0, final.WorkingSetBytes / 1048576.0));

        Report(result, samples, churn, publisher, clock.Elapsed);
        result.Add("GC heap before any client", before.GcHeapBytes / 1048576.0, "MiB")
            .Add("GC heap after every client left", final.GcHeapBytes / 1048576.0, "MiB")
            .Add("connections left on the replica", final.Connections, "", "0", final.Connections == 0);
        result.Series["samples"] = samples.Select(s => new { opened = s.Opened, gcHeapKiB = Math.Round(s.HeapKiB), workingSetMiB = Math.Round(s.WorkingSetMiB, 1) }).ToList();
        return result;
    }

    /// <summary>At every 1,000 connections opened, the settled heap and the working set; until the load is over.</summary>
    private static async Task<List<(long Opened, double HeapKiB, double WorkingSetMiB)>> SampleAsync(ApiProcess replica, Churn churn, Task load, Stopwatch clock)
    {
        var samples = new List<(long Opened, double HeapKiB, double WorkingSetMiB)>();
        var next = (long)SampleEvery;
        while (!load.IsCompleted)
        {
            if (churn.Opened < next)
            {
                await Task.WhenAny(load, Task.Delay(100));
                continue;
            }

            var health = await replica.SettledHealthAsync();
            samples.Add((churn.Opened, health.GcHeapBytes / 1024.0, health.WorkingSetBytes / 1048576.0));
            Console.WriteLine($"  {clock.Elapsed:mm\\:ss} {churn.Opened:N0} opened, {health.Connections:N0} open: heap {health.GcHeapBytes / 1024:N0} KiB, " +
                              $"working set {health.WorkingSetBytes / 1048576.0:0.0} MiB, {churn.Received:N0} delivered");
            next = (churn.Opened / SampleEvery + 1) * SampleEvery;
        }

        return samples;
    }

    private static void Report(ScenarioResult result, List<(long Opened, double HeapKiB, double WorkingSetMiB)> samples, Churn churn,
        LoadPublisher publisher, TimeSpan elapsed)
    {
        // The first fifth is warm-up (JIT, pools, caches); after it, neither should trend upward.
        var steady = samples.Where(s => s.Opened >= churn.Opened / 5).ToList();
        var heapTrend = Trend.Slope(steady.Select(s => (s.Opened / (double)SampleEvery, s.HeapKiB)).ToList());
        var workingSetTrend = Trend.Slope(steady.Select(s => (s.Opened / (double)SampleEvery, s.WorkingSetMiB * 1024)).ToList());
        result.Add("connections opened and closed", churn.Opened, "")
            .Add("of them aborted without a close handshake", churn.Aborted, "")
            .Add("connect rate", churn.Opened / elapsed.TotalSeconds, "connections/s")
            .Add("connect failures", churn.Failures, "")
            .Add("messages published", publisher.Accepted, "")
            .Add("deliveries", churn.Received, "")
            .Add("GC heap after warm-up, min", steady.Count > 0 ? steady.Min(s => s.HeapKiB) / 1024 : 0, "MiB")
            .Add("GC heap after warm-up, max", steady.Count > 0 ? steady.Max(s => s.HeapKiB) / 1024 : 0, "MiB")
            .Add("GC heap trend", heapTrend, "KiB per 1,000 connections", "flat (<= 10 KiB per 1,000)", heapTrend <= 10)
            .Add("working set after warm-up, min", steady.Count > 0 ? steady.Min(s => s.WorkingSetMiB) : 0, "MiB")
            .Add("working set after warm-up, max", steady.Count > 0 ? steady.Max(s => s.WorkingSetMiB) : 0, "MiB")
            .Add("working set trend", workingSetTrend, "KiB per 1,000 connections");
    }

    private static async Task WaitUntilEmptyAsync(ApiProcess replica)
    {
        var deadline = Stopwatch.StartNew();
        while ((await replica.HealthAsync()).Connections > 0 && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(200);
        }
    }

    /// <summary>The churning clients: each connects as a random user, holds a while, leaves, and starts over.</summary>
    private sealed class Churn(Uri replica, SourceAddresses sources, int users, TimeSpan hold)
    {
        private readonly LatencyRecorder _recorder = new();
        private long _opened;
        private long _aborted;
        private long _failures;
        private long _received;

        public long Opened => Interlocked.Read(ref _opened);

        public long Aborted => Interlocked.Read(ref _aborted);

        public long Failures => Interlocked.Read(ref _failures);

        public long Received => Interlocked.Read(ref _received);

        public async Task RunClientAsync(int client, CancellationToken stop)
        {
            var random = new Random(client);
            while (!stop.IsCancellationRequested)
            {
                BenchSocket socket;
                try
                {
                    socket = await BenchSocket.ConnectAsync(AspireNotifyProtocol.Instance, replica, $"churn-{random.Next(users)}", sources, _recorder);
                }
                catch (Exception exception) when (exception is System.Net.WebSockets.WebSocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref _failures);
                    continue;
                }

                Interlocked.Increment(ref _opened);
                try
                {
                    await Task.Delay(hold * (2 * random.NextDouble()), stop);
                }
                catch (OperationCanceledException)
                {
                }

                var abort = random.Next(3) == 0;
                await (abort ? socket.AbortAsync() : socket.DisposeAsync());
                Interlocked.Add(ref _received, socket.Received);
                if (abort)
                {
                    Interlocked.Increment(ref _aborted);
                }
            }
        }
    }
}
