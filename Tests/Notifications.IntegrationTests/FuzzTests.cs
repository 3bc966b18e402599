using Notifications.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Notifications.IntegrationTests;

/// <summary>
/// Raw TCP, below ClientWebSocket (which only sends valid frames): thousands of generated hostile cases against one
/// replica while a well-behaved client on the same replica receives a numbered sequence. (Whether anything of them
/// stays in memory is <see cref="ChurnTests"/>' question.)
/// </summary>
[Collection(ReplicaProcess.Name)]
public sealed class FuzzTests(ReplicaProcessFixture fixture, ITestOutputHelper output)
{
    private const int CasesPerRound = 1_500;
    private const int Rounds = 3;
    private const int Parallelism = 8;
    private const int Messages = 200;

    [Fact]
    public async Task Hostile_frames_leave_the_replica_up_and_the_good_client_with_every_message()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), out var configured) ? configured : 20_261_130;
        output.WriteLine($"Fuzz seed {seed}; replay with FUZZ_SEED={seed}.");
        var fuzzer = new FrameFuzzer(seed);
        var connectionsBefore = (await fixture.Replica.HealthAsync()).Connections;
        await using var good = await NotificationSocket.ConnectAsync(fixture.Replica.BaseAddress, Tokens.For("good"));
        var publisher = new SteadyPublisher(fixture.Api.BaseAddress, Tokens.For("publisher", publisher: true));

        var publishing = publisher.PublishAsync(["good"], Messages, TimeSpan.FromMilliseconds(10));
        for (var round = 0; round < Rounds; round++)
        {
            var cases = Enumerable.Range(0, CasesPerRound).Select(_ => fuzzer.NextCase()).ToArray();
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Parallelism },
                async (bytes, _) => await HostileClient.SendAsync(fixture.Replica.BaseAddress, Tokens.For("fuzzer"), bytes));
        }

        await publishing;
        await Eventually.UntilAsync("every hostile connection to be cleaned up",
            async _ => (await fixture.Replica.HealthAsync()).Connections == connectionsBefore + 1, TimeSpan.FromSeconds(60));

        foreach (var acknowledged in publisher.Acknowledged)
        {
            Assert.Equal(acknowledged.Id, (await good.NextNotificationAsync()).GetProperty("id").GetString());
        }

        using var http = fixture.Api.NewClient();
        using var health = await http.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }
}
