using System.Collections.Concurrent;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios;

internal static class Connect
{
    /// <summary>Opens one socket per user, user i on replica i mod n, printing progress.</summary>
    public static async Task<List<BenchSocket>> SpreadAsync(LocalCluster cluster, int count, string userPrefix, SourceAddresses sources, LatencyRecorder recorder)
    {
        var sockets = new ConcurrentBag<BenchSocket>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var replica = cluster.Replicas[i % cluster.Replicas.Count];
            sockets.Add(await BenchSocket.ConnectAsync(replica.BaseAddress, Tokens.For($"{userPrefix}-{i}"), sources, recorder));
            if (sockets.Count % 1000 == 0)
            {
                Console.WriteLine($"  {sockets.Count:N0} / {count:N0} connected");
            }
        });
        return [.. sockets];
    }

    public static async Task CloseAllAsync(IEnumerable<BenchSocket> sockets) =>
        await Parallel.ForEachAsync(sockets, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (socket, _) => await socket.DisposeAsync());

    /// <summary>Waits (bounded) until the receivers got what was published, so late deliveries still count.</summary>
    public static async Task DrainAsync(Func<long> received, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (received() < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }
}
