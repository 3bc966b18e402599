using System.Collections.Concurrent;
using System.Net.WebSockets;
using AppHost.FrontDoors;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// nginx and HAProxy, as configured in deploy/, in front of three replicas: delivery through them, the client's own
/// address seen behind them, a replica stopped under load, and idle sockets kept alive by the heartbeat; the same for
/// Server-Sent Events streams on /sse.
/// </summary>
public abstract class FrontDoorTests<TFixture>(TFixture fixture) where TFixture : FrontDoorFixture
{
    private const int Messages = 120;

    [Fact]
    public async Task Users_and_broadcasts_reach_their_connections_on_every_replica_through_the_front_door()
    {
        var (alice, bob) = ($"alice-{Guid.NewGuid():N}", $"bob-{Guid.NewGuid():N}");
        await using var sockets = new SocketSet();
        var ofAlice = await sockets.ConnectUntilAsync(fixture.Api, await fixture.Api.TokenAsync(alice),
            kept => kept.Select(socket => socket.Node).Distinct().Count() == FrontDoorFixture.ReplicaCount);
        var ofBob = await sockets.ConnectUntilAsync(fixture.Api, await fixture.Api.TokenAsync(bob), kept => kept.Count == 1);
        using var http = fixture.Api.NewClient();
        var publisher = await fixture.Api.TokenAsync("backend", TokenClaims.PublisherRole);

        var toAlice = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, alice, new { data = 1 }),
            Streams.ForUser(alice));
        var toAll = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.BroadcastAsync(http, publisher, new { data = 2 }), Streams.Broadcast);

        // docs/protocol.md: order holds within a stream, not between the user's stream and the broadcast stream.
        foreach (var socket in ofAlice)
        {
            string?[] received = [(await socket.NextNotificationAsync()).GetProperty("id").GetString(),
                (await socket.NextNotificationAsync()).GetProperty("id").GetString()];
            Assert.Equivalent(new[] { toAlice, toAll }, received, strict: true);
        }

        Assert.Equal(toAll, (await ofBob[0].NextNotificationAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_replica_stopped_with_SIGTERM_sends_its_clients_through_the_front_door_to_the_others_and_they_lose_nothing()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture.Api, FrontDoorFixture.ReplicaCount);
        var victimNode = scenario.BusiestNode();
        var victim = fixture.Cluster.Replicas.Single(replica => $"replica-{replica.Index}" == victimNode);
        var publishing = scenario.Publisher.PublishAsync(scenario.Users, Messages, TimeSpan.FromMilliseconds(20));
        await scenario.Publisher.WhenAcknowledged(Messages / 3);

        // docs/deployment.md, "Draining a replica": out of rotation first (HAProxy), then SIGTERM.
        await fixture.FrontDoor.DrainAsync(victim);
        await victim.StopAsync(TimeSpan.FromSeconds(60));
        await publishing;

        await scenario.AssertEveryClientHasEverythingAsync();
        Assert.All(scenario.Probes, probe => Assert.NotEqual(victimNode, probe.Node));
        await fixture.Cluster.RestartAsync(victim);
        await fixture.FrontDoor.ReadyAsync(victim);
        await Eventually.UntilAsync("the front door to send connections to the restarted replica again", async _ =>
        {
            using var http = fixture.Api.NewClient();
            return await NotificationsApi.NodeOfAsync(http) == victimNode;
        }, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task An_idle_socket_outlives_the_front_doors_idle_timeout_while_a_dead_client_is_evicted()
    {
        var user = $"idle-{Guid.NewGuid():N}";
        await using var idle = await NotificationSocket.ConnectAsync(fixture.Api.BaseAddress, await fixture.Api.TokenAsync(user));

        // A dead client: upgraded through the front door, then it never answers the replica's pings.
        await HostileClient.GoSilentAsync(fixture.FrontDoor.BaseAddress, await fixture.Api.TokenAsync($"{user}-dead"));
        // The live one has now been idle past the idle timeout (three heartbeats) for as long as the dead one took to be
        // evicted; make sure of at least twice the timeout, then it must still answer.
        await Task.Delay(FrontDoorFixture.IdleTimeout * 2);
        await idle.SendTextAsync("""{"type":"ping","t":"still here"}""");

        Assert.Equal("still here", (await idle.NextAsync()).GetProperty("t").GetString());
        Assert.Null(idle.CloseStatus);
    }

    [Fact]
    public async Task An_event_stream_through_the_front_door_outlives_its_idle_timeout_on_heartbeats_and_gets_its_events()
    {
        var user = $"sse-{Guid.NewGuid():N}";
        await using var stream = await EventStreamClient.ConnectAsync(fixture.Api.BaseAddress, await fixture.Api.TokenAsync(user));
        Assert.Equal(EventStreams.ContentType, stream.Response.Content.Headers.ContentType?.MediaType);

        // Nothing but heartbeats for twice the front door's idle timeout: a buffering or impatient proxy would hold them
        // back or cut the stream.
        var heartbeats = (int)(2 * FrontDoorFixture.IdleTimeout / FrontDoorFixture.KeepAliveInterval) + 1;
        await stream.WaitForHeartbeatsAsync(heartbeats, TimeSpan.FromSeconds(60));
        using var http = fixture.Api.NewClient();
        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http,
            await fixture.Api.TokenAsync("backend", TokenClaims.PublisherRole), user, new { data = "through" }), Streams.ForUser(user));

        Assert.Equal(id, (await stream.NotificationsAsync(1))[0].GetProperty(FrameFields.Id).GetString());
        Assert.False(stream.Ended);
    }

    [Fact]
    public async Task Event_streams_of_a_replica_stopped_with_SIGTERM_resume_through_the_front_door_with_Last_Event_ID_and_lose_nothing()
    {
        await using var scenario = await FaultScenario.StartAsync(fixture.Api, FrontDoorFixture.ReplicaCount, Notifications.Client.NotificationTransport.ServerSentEvents);
        var victimNode = scenario.BusiestNode();
        var victim = fixture.Cluster.Replicas.Single(replica => $"replica-{replica.Index}" == victimNode);
        var publishing = scenario.Publisher.PublishAsync(scenario.Users, Messages, TimeSpan.FromMilliseconds(20));
        await scenario.Publisher.WhenAcknowledged(Messages / 3);

        await fixture.FrontDoor.DrainAsync(victim);
        await victim.StopAsync(TimeSpan.FromSeconds(60));
        await publishing;

        await scenario.AssertEveryClientHasEverythingAsync();
        Assert.All(scenario.Probes, probe => Assert.NotEqual(victimNode, probe.Node));
        await fixture.Cluster.RestartAsync(victim);
        await fixture.FrontDoor.ReadyAsync(victim);
        await Eventually.UntilAsync("the front door to send connections to the restarted replica again", async _ =>
        {
            using var http = fixture.Api.NewClient();
            return await NotificationsApi.NodeOfAsync(http) == victimNode;
        }, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Behind_the_front_door_each_client_is_limited_by_its_own_address_which_it_cannot_forge()
    {
        var log = new ConcurrentQueue<string>();
        await using var cluster = await LocalCluster.StartAsync(1, new Dictionary<string, string>(FrontDoorFixture.BehindTheFrontDoor)
        {
            ["Limits__UpgradesPerAddressPerSecond"] = "1",
            ["Limits__UpgradeBurst"] = "1",
            ["Connections__AllowedOrigins__0"] = "https://app.example",
            ["Logging__LogLevel__Notifications.Api.Refusals"] = "Information",
        }, ApiProcess.ConfigurationOf(typeof(FrontDoorFixture)), new RedisServerOptions { Durable = false }, log.Enqueue);
        await using var frontDoor = await FrontDoorProcess.StartAsync(fixture.Kind, cluster.Replicas, FrontDoorFixture.IdleTimeout);
        using var clients = new SourceAddresses(3);
        var uri = NotificationSocket.WebSocketUri(frontDoor.BaseAddress, Tokens.For("limited"));
        var forged = new Dictionary<string, string> { ["X-Forwarded-For"] = "198.51.100.7" };

        // A spends its bucket; B, another address behind the same front door, still has its own.
        await Eventually.UntilAsync("client A to be rate limited", async _ => await StatusAsync(uri, clients.At(0)) == 429);
        Assert.Equal(101, await StatusAsync(uri, clients.At(1)));
        // A forged header does not buy A a fresh bucket (three tries, each right after a refusal, so a refill cannot explain them all).
        var forgedStatuses = new List<int>();
        for (var round = 0; round < 3; round++)
        {
            await Eventually.UntilAsync("client A to be rate limited again", async _ => await StatusAsync(uri, clients.At(0)) == 429);
            forgedStatuses.Add(await StatusAsync(uri, clients.At(0), forged));
        }

        Assert.Contains(429, forgedStatuses);
        // The replica's log names the client, neither the front door nor the forged address.
        Assert.Equal(403, await StatusAsync(uri, clients.At(2), new Dictionary<string, string>(forged) { ["Origin"] = "https://evil.example" }));
        await Eventually.UntilAsync("the origin refusal to be logged", _ => Task.FromResult(log.Any(line => line.Contains("(origin)", StringComparison.Ordinal))));
        var refusals = log.Where(line => line.Contains("Refused", StringComparison.Ordinal)).ToList();
        Assert.Contains(refusals, line => line.Contains($"from {SourceAddresses.AddressAt(0)}", StringComparison.Ordinal));
        Assert.Contains(refusals, line => line.Contains($"(origin) from {SourceAddresses.AddressAt(2)}", StringComparison.Ordinal));
        Assert.DoesNotContain(refusals, line => line.Contains("from 127.0.0.1", StringComparison.Ordinal) || line.Contains("198.51.100.7", StringComparison.Ordinal));
    }

    /// <summary>101 when the upgrade went through, else the status it was refused with.</summary>
    private static async Task<int> StatusAsync(Uri uri, HttpMessageInvoker from, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        try
        {
            using var timeout = new CancellationTokenSource(NotificationSocket.FrameTimeout);
            await socket.ConnectAsync(uri, from, timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return 101;
        }
        catch (WebSocketException)
        {
            return (int)socket.HttpStatusCode;
        }
    }
}

public sealed class NginxFrontDoorTests(NginxFixture fixture) : FrontDoorTests<NginxFixture>(fixture), IClassFixture<NginxFixture>;

public sealed class HAProxyFrontDoorTests(HAProxyFixture fixture) : FrontDoorTests<HAProxyFixture>(fixture), IClassFixture<HAProxyFixture>;
