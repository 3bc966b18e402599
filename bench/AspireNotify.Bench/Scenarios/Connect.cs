using System.Collections.Concurrent;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios;

internal static class Connect
{
    /// <summary>Opens one socket per user, user i on replica i mod n, printing progress.</summary>
    public static Task<List<BenchSocket>> SpreadAsync(LocalCluster cluster, int count, string userPrefix, SourceAddresses sources, LatencyRecorder recorder) =>
        SpreadAsync(AspireNotifyProtocol.Instance, [.. cluster.Replicas.Select(replica => replica.BaseAddress)], count, i => $"{userPrefix}-{i}", sources, recorder);

    /// <summary>Opens <paramref name="count"/> sockets, socket i as user <paramref name="userOf"/>(i) on instance i mod n, printing progress.</summary>
    public static async Task<List<BenchSocket>> SpreadAsync(WireProtocol protocol, IReadOnlyList<Uri> instances, int count, Func<int, string> userOf,
        SourceAddresses sources, LatencyRecorder recorder)
    {
        var sockets = new ConcurrentBag<BenchSocket>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            sockets.Add(await BenchSocket.ConnectAsync(protocol, instances[i % instances.Count], userOf(i), sources, recorder));
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
