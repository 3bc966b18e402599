using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Targets;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// Client sockets that must each get every accepted publish to one path: a user's connection gets its user's, a
/// listener every broadcast. What one got short of that is an acknowledged message lost.
/// </summary>
internal sealed class Receivers(IReadOnlyList<(BenchSocket Socket, string Path)> sockets)
{
    public const string BroadcastPath = "/api/notifications/broadcast";

    public IReadOnlyList<(BenchSocket Socket, string Path)> Sockets => sockets;

    public static string UserPath(string userId) => $"/api/notifications/users/{userId}";

    /// <summary>One socket per user, user i on replica i mod n, each expecting its own user's messages.</summary>
    public static Task<Receivers> UsersAsync(LocalCluster cluster, int users, SourceAddresses sources, LatencyRecorder recorder) =>
        ConnectAsync(cluster, users, i => $"bp-{i}", UserPath, sources, recorder);

    /// <summary><paramref name="perReplica"/> sockets on each replica, each expecting every broadcast.</summary>
    public static Task<Receivers> ListenersAsync(LocalCluster cluster, int perReplica, SourceAddresses sources, LatencyRecorder recorder) =>
        ConnectAsync(cluster, perReplica * cluster.Replicas.Count, i => $"bp-listener-{i}", _ => BroadcastPath, sources, recorder);

    public long Delivered => sockets.Sum(receiver => receiver.Socket.Received);

    /// <summary>Deliveries still missing of what <paramref name="publisher"/> had accepted.</summary>
    public long Missing(LoadPublisher publisher) =>
        sockets.Sum(receiver => Math.Max(0, publisher.AcceptedByPath.GetValueOrDefault(receiver.Path) - receiver.Socket.Received));

    /// <summary>Waits (bounded) for late deliveries, then counts what is still missing: each one is a loss.</summary>
    public async Task<long> LostAsync(LoadPublisher publisher, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Missing(publisher) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return Missing(publisher);
    }

    /// <summary>Sockets that ended while they should have been receiving, by how: "4000×2, aborted×1", or empty.</summary>
    public string Ended() => string.Join(", ", sockets.Select(receiver => receiver.Socket.Ended).OfType<string>()
        .GroupBy(ended => ended).Select(group => $"{group.Key}×{group.Count()}"));

    public Task CloseAsync() => Connect.CloseAllAsync(sockets.Select(receiver => receiver.Socket));

    private static async Task<Receivers> ConnectAsync(LocalCluster cluster, int count, Func<int, string> userOf, Func<string, string> pathOf,
        SourceAddresses sources, LatencyRecorder recorder)
    {
        var sockets = new (BenchSocket, string)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var replica = cluster.Replicas[i % cluster.Replicas.Count];
            sockets[i] = (await BenchSocket.ConnectAsync(AspireNotifyProtocol.Instance, replica.BaseAddress, userOf(i), sources, recorder),
                pathOf(userOf(i)));
        });
        return new Receivers(sockets);
    }
}
