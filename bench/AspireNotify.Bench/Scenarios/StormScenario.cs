using System.Collections.Concurrent;
using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;
using AspireNotify.Bench.Reporting;
using Notifications.Client;

namespace AspireNotify.Bench.Scenarios;

/// <summary>
/// Reconnect storm: N clients (Notifications.Client, behind a round-robin load balancer), a publisher running, one
/// replica killed hard. How long until every client is connected and resumed, how the reconnects spread, and how many
/// acknowledged messages were lost (must be none).
/// </summary>
internal static class StormScenario
{
    public static async Task<ScenarioResult> RunAsync(BenchOptions options)
    {
        var (replicas, clients, rate) = (options.Count("replicas", 3), options.Count("clients", 5000), options.Number("rate", 100));
        var result = new ScenarioResult("storm", new Dictionary<string, string>
        {
            ["replicas"] = $"{replicas}", ["clients"] = $"{clients}", ["publish rate"] = $"{rate}/s",
        });
        await using var cluster = await BenchCluster.StartAsync(replicas);
        await using var balancer = new LoadBalancer(() => [.. cluster.Replicas.Where(r => r.IsRunning).Select(r => r.BaseAddress)]);
        var probes = new ConcurrentBag<StormClient>();
        await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            probes.Add(await StormClient.StartAsync(balancer.Address, $"storm-{i}"));
            if (probes.Count % 1000 == 0)
            {
                Console.WriteLine($"  {probes.Count:N0} / {clients:N0} clients connected");
            }
        });

        var victim = cluster.Replicas[0];
        var victimNode = (await victim.HealthAsync()).Node;
        var moving = probes.Where(p => p.Client.Node == victimNode).ToList();
        using var publisher = new LoadPublisher(cluster.Replicas.Skip(1).Select(r => r.BaseAddress));
        var publishing = publisher.RunAsync(rate, options.Seconds("duration", 15), random => $"/api/notifications/users/storm-{random.Next(clients)}");

        await Task.Delay(TimeSpan.FromSeconds(2));
        var killedAt = Stopwatch.GetTimestamp();
        victim.Kill();
        Console.WriteLine($"  killed {victimNode}, which held {moving.Count:N0} clients");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (moving.Any(p => p.ResumedAfter(killedAt) is null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var resumeTimes = moving.Select(p => p.ResumedAfter(killedAt)).OfType<double>().Order().ToArray();
        await publishing;
        var lost = await LostAsync(probes, publisher);

        var allResumed = resumeTimes.Length == moving.Count;
        result.Add("clients", clients, "")
            .Add("clients on the killed replica", moving.Count, "")
            .Add("clients resumed elsewhere", resumeTimes.Length, "")
            .Add("time until all resumed", allResumed && resumeTimes.Length > 0 ? resumeTimes[^1] : double.NaN, "s", "<= 10 s",
                allResumed && (resumeTimes.Length == 0 || resumeTimes[^1] <= 10))
            .Add("median reconnect", resumeTimes.Length > 0 ? resumeTimes[resumeTimes.Length / 2] : 0, "s")
            .Add("resumed with recovered=false", probes.Count(p => p.LostHistory), "")
            .Add("messages acknowledged", publisher.Accepted, "")
            .Add("acknowledged messages lost", lost, "", "0", lost == 0);
        result.Series["reconnectsPerHalfSecond"] = resumeTimes.GroupBy(t => (int)(t * 2)).OrderBy(g => g.Key)
            .ToDictionary(g => $"{g.Key / 2.0:0.0}s", g => g.Count());
        foreach (var (bucket, count) in (Dictionary<string, int>)result.Series["reconnectsPerHalfSecond"])
        {
            Console.WriteLine($"  reconnects at {bucket,6}: {new string('#', Math.Max(1, count * 60 / Math.Max(1, moving.Count)))} {count}");
        }

        await Parallel.ForEachAsync(probes, async (probe, _) => await probe.DisposeAsync());
        return result;
    }

    /// <summary>Waits (bounded) for late deliveries, then counts acknowledged messages a client never got.</summary>
    private static async Task<long> LostAsync(IEnumerable<StormClient> probes, LoadPublisher publisher)
    {
        long Shortfall() => probes.Sum(p => Math.Max(0, publisher.AcceptedByPath.GetValueOrDefault($"/api/notifications/users/{p.UserId}") - p.Received));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Shortfall() > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return Shortfall();
    }

    private sealed class StormClient : IAsyncDisposable
    {
        private readonly Task _reading;
        private long _received;
        private long _resumedAt;

        private StormClient(string userId, NotificationClient client)
        {
            (UserId, Client) = (userId, client);
            client.Resumed += resume =>
            {
                LostHistory |= !resume.Recovered;
                Interlocked.Exchange(ref _resumedAt, Stopwatch.GetTimestamp());
            };
            _reading = ReadAsync();
        }

        public string UserId { get; }

        public NotificationClient Client { get; }

        public long Received => Interlocked.Read(ref _received);

        public bool LostHistory { get; private set; }

        public static async Task<StormClient> StartAsync(Uri balancer, string userId)
        {
            var client = new NotificationClient(new NotificationClientOptions
            {
                ServerUri = balancer,
                AccessTokenProvider = _ => ValueTask.FromResult(Tokens.For(userId)),
                ConnectTimeout = TimeSpan.FromSeconds(30),
            });
            await client.StartAsync(CancellationToken.None);
            return new StormClient(userId, client);
        }

        /// <summary>Seconds from the kill to this client's resume, if it resumed since.</summary>
        public double? ResumedAfter(long killedAt)
        {
            var resumedAt = Interlocked.Read(ref _resumedAt);
            return resumedAt > killedAt ? Stopwatch.GetElapsedTime(killedAt, resumedAt).TotalSeconds : null;
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await _reading.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        private async Task ReadAsync()
        {
            await foreach (var _ in Client.ReadAllAsync())
            {
                Interlocked.Increment(ref _received);
            }
        }
    }
}
