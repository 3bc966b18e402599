using Notifications.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Notifications.IntegrationTests;

/// <summary>
/// Nothing of a closed connection stays behind in the replica: thousands of connections opened and closed every way a
/// client ends (clean close, abort, hostile frame, handshake dropped half-way, silent until the keep-alive gives up)
/// while messages flow, and then the replica's own heap after an induced full collection is back at its baseline, and
/// its registry, leases and per-user subscriptions are back at zero.
/// </summary>
[Collection(ReplicaProcess.Name)]
public sealed class ChurnTests(ReplicaProcessFixture fixture, ITestOutputHelper output)
{
    private const int Connections = 3_000;
    private const int WarmUpConnections = 600;
    private const int Users = 300;
    private const int Parallelism = 16;
    private const int SilentEvery = 10;
    private const long HeapTolerance = 2 * 1024 * 1024;
    private const string BroadcastSubscription = "Notifications.Api.Backplane.StreamSubscription";

    /// <summary>
    /// What a connection creates and must not leave behind; Redis profiling records among them, because the client
    /// library chains them so that one kept record keeps every command around it.
    /// </summary>
    private static readonly string[] PerConnectionTypes =
    [
        "Notifications.Api.Connections.NotificationConnection",
        "Notifications.Api.Connections.ConnectionReceiveLoop",
        "Notifications.Api.Backplane.RedisBackplane+UserSubscription",
        "System.Net.WebSockets.ManagedWebSocket",
        "StackExchange.Redis.Profiling.ProfiledCommand",
    ];

    [Fact]
    public async Task Closed_connections_leave_nothing_behind()
    {
        var publisher = new SteadyPublisher(fixture.Api.BaseAddress, Tokens.For("publisher", publisher: true));
        await ChurnAsync(WarmUpConnections, new FrameFuzzer(1));
        await WaitUntilEveryConnectionIsGoneAsync();
        var baseline = await fixture.Replica.SettledHealthAsync();

        using var stopPublishing = new CancellationTokenSource();
        var publishing = publisher.PublishUntilAsync("churn-0", () => Task.FromResult(stopPublishing.IsCancellationRequested),
            int.MaxValue, TimeSpan.FromMilliseconds(20), payloadBytes: 200);
        await ChurnAsync(Connections, new FrameFuzzer(2));
        await stopPublishing.CancelAsync();
        await publishing;

        await WaitUntilEveryConnectionIsGoneAsync();
        var settled = await Eventually.UntilAsync("the replica's heap to come back to its baseline", async _ =>
        {
            var health = await fixture.Replica.SettledHealthAsync();
            output.WriteLine($"GC heap {health.GcHeapBytes / 1024} KiB (baseline {baseline.GcHeapBytes / 1024} KiB)");
            return health.GcHeapBytes - baseline.GcHeapBytes < HeapTolerance ? health : null;
        }, TimeSpan.FromSeconds(60));
        output.WriteLine($"{Connections} connections: heap {baseline.GcHeapBytes / 1024} → {settled.GcHeapBytes / 1024} KiB, " +
                         $"working set {baseline.WorkingSetBytes / 1048576} → {settled.WorkingSetBytes / 1048576} MiB");

        // Bytes can hide a small leak behind a pool that shrank; the objects themselves cannot.
        var census = HeapCensus.Take(fixture.Replica.Process.Id, [.. PerConnectionTypes, BroadcastSubscription]);
        foreach (var type in PerConnectionTypes)
        {
            Assert.True(census[type] == 0, $"{census[type]} {type} still in the heap");
        }

        Assert.Equal(1, census[BroadcastSubscription]);
    }

    private async Task ChurnAsync(int count, FrameFuzzer fuzzer)
    {
        var cases = Enumerable.Range(0, count).Select(i => (Index: i, Bytes: fuzzer.NextCase())).ToArray();
        // Silent clients take the keep-alive timeout to be noticed, so they wait together rather than in line.
        var silent = Task.WhenAll(Enumerable.Range(0, count / SilentEvery)
            .Select(i => HostileClient.GoSilentAsync(fixture.Replica.BaseAddress, Tokens.For($"churn-{i % Users}"))));
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (@case, _) =>
        {
            var token = Tokens.For($"churn-{@case.Index % Users}");
            switch (@case.Index % 4)
            {
                case 0:
                    // Disposing closes with a handshake.
                    await (await NotificationSocket.ConnectAsync(fixture.Replica.BaseAddress, token)).DisposeAsync();
                    break;
                case 1:
                    await using (var socket = await NotificationSocket.ConnectAsync(fixture.Replica.BaseAddress, token))
                    {
                        socket.Abort();
                    }

                    break;
                case 2:
                    await HostileClient.SendAsync(fixture.Replica.BaseAddress, token, @case.Bytes);
                    break;
                default:
                    await HostileClient.DropHandshakeAsync(fixture.Replica.BaseAddress, token);
                    break;
            }
        });
        await silent;
    }

    /// <summary>The registry, the user leases in Redis and this replica's per-user subscriptions, all back at zero.</summary>
    private async Task WaitUntilEveryConnectionIsGoneAsync()
    {
        await using var redis = await fixture.RedisAsync();
        var server = redis.GetServers()[0];
        await Eventually.UntilAsync("every connection, lease and user subscription to be gone", async _ =>
        {
            var health = await fixture.Replica.HealthAsync();
            var leases = 0L;
            await foreach (var key in server.KeysAsync(pattern: "aspirenotify:leases:*"))
            {
                leases += await redis.GetDatabase().SortedSetLengthAsync(key);
            }

            var userChannels = await server.SubscriptionChannelsAsync(RedisChannel.Pattern("aspirenotify:user:*"));
            return health is { Connections: 0, Users: 0 } && leases == 0 && userChannels.Length == 0;
        }, TimeSpan.FromSeconds(60));
    }
}
