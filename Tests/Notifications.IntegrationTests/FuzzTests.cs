using System.Net.Sockets;
using System.Text;
using Notifications.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Notifications.IntegrationTests;

/// <summary>
/// Raw TCP, below ClientWebSocket (which only sends valid frames): thousands of generated hostile cases against one
/// replica while a well-behaved client on the same replica receives a numbered sequence.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int CasesPerRound = 1_500;
    private const int Rounds = 3;
    private const long HeapTolerance = 4 * 1024 * 1024;
    private const int Parallelism = 8;
    private const int Messages = 200;

    // Redis runs in its own process, so the heap measured below is the replica's (and the test's) alone.
    private readonly RedisServerProcess _redis = new();

    public Task InitializeAsync() => _redis.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task Hostile_frames_leave_the_replica_up_leak_free_and_the_good_client_with_every_message()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var configured) ? configured : 20_261_130;
        output.WriteLine($"Fuzz seed {seed}; replay with FUZZ_SEED={seed}.");
        await using var replica = new InProcessReplica(_redis.ConnectionString, "fuzzed", new Dictionary<string, string>());
        var token = await replica.Api.TokenAsync("fuzzer");
        await using var good = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync("good"));
        var publisher = new SteadyPublisher(replica.Api, await replica.Api.TokenAsync("publisher", "publisher"));
        var fuzzer = new FrameFuzzer(seed);

        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        var publishing = publisher.PublishAsync(["good"], Messages, TimeSpan.FromMilliseconds(10));
        for (var round = 0; round < Rounds; round++)
        {
            await RunRoundAsync(replica, token, fuzzer);
        }

        await publishing;
        await Eventually.UntilAsync("every hostile connection to be cleaned up",
            _ => Task.FromResult(replica.Registry.ConnectionCount == 1), TimeSpan.FromSeconds(60));
        // Buffer pools keep what the burst needed for some seconds before trimming; a leak would never come back down.
        long heap = 0;
        await Eventually.UntilAsync("the managed heap to come back to its baseline", _ =>
        {
            heap = GC.GetTotalMemory(forceFullCollection: true);
            return Task.FromResult(heap - baseline < HeapTolerance);
        }, TimeSpan.FromSeconds(60));
        output.WriteLine($"Managed heap: {baseline / 1024} KiB before, {heap / 1024} KiB after {Rounds * CasesPerRound} hostile connections.");

        foreach (var acknowledged in publisher.Acknowledged)
        {
            Assert.Equal(acknowledged.Id, (await good.NextNotificationAsync()).GetProperty("id").GetString());
        }

        using var http = replica.Api.NewClient();
        using var health = await http.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task RunRoundAsync(InProcessReplica replica, string token, FrameFuzzer fuzzer)
    {
        var cases = Enumerable.Range(0, CasesPerRound).Select(_ => fuzzer.NextCase()).ToArray();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
            async (bytes, _) => await SendCaseAsync(replica.Api.BaseAddress, token, bytes));
    }

    /// <summary>Upgrades a raw TCP connection, writes the case, and hangs up (as abruptly as the case left things).</summary>
    private static async Task SendCaseAsync(Uri api, string token, byte[] bytes)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(api.Host, api.Port);
        var stream = tcp.GetStream();
        var handshake = $"GET /ws?access_token={token} HTTP/1.1\r\nHost: {api.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(handshake));
        var response = new byte[4096];
        var read = await stream.ReadAsync(response);
        Assert.StartsWith("HTTP/1.1 101", Encoding.ASCII.GetString(response, 0, read), StringComparison.Ordinal);
        try
        {
            await stream.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The server may already have closed on an early violation; that is an answer too.
        }
    }
}
