using System.Text.RegularExpressions;
using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

[Collection(BrowserAppHost.Name)]
public sealed class ServerSentEventsTests(BrowserAppHostFixture fixture)
{
    /// <summary>The browser's own EventSource, nothing of ours in between: it reconnects by itself with Last-Event-ID.</summary>
    private const string OpenEventSource = """
        url => {
            window.welcomes = [];
            window.received = [];
            const source = new EventSource(url);
            source.addEventListener('welcome', event => welcomes.push(JSON.parse(event.data).node));
            const take = event => {
                const frame = JSON.parse(event.data);
                (frame.type === 'batch' ? frame.items : [frame]).forEach(item => received.push(item.seq));
            };
            source.addEventListener('notification', take);
            source.addEventListener('batch', take);
        }
        """;

    [Fact]
    public async Task An_event_source_receives_and_when_its_replica_stops_reconnects_with_last_event_id_and_misses_nothing()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = await session.NewPageAsync("signin");
        var userId = UserSession.NewUserId("ivan");
        var streams = new List<IRequest>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains(Routes.ServerSentEvents, StringComparison.Ordinal))
            {
                lock (streams)
                {
                    streams.Add(request);
                }
            }
        };
        var token = await DevTokens.IssueAsync(fixture.ApiUrl, userId);
        await page.EvaluateAsync(OpenEventSource, new Uri(fixture.ApiUrl, $"{Routes.ServerSentEvents}?access_token={token}").ToString());
        await page.WaitForFunctionAsync("() => welcomes.length === 1");
        var node = await page.EvaluateAsync<string>("() => welcomes[0]");
        var publisher = new SteadyPublisher(fixture.ApiUrl, await DevTokens.IssueAsync(fixture.ApiUrl, "browser-tests-backend", TokenClaims.PublisherRole));
        using var stopPublishing = new CancellationTokenSource();
        var publishing = publisher.PublishUntilAsync(userId, () => Task.FromResult(stopPublishing.IsCancellationRequested), max: 400,
            TimeSpan.FromMilliseconds(100));
        try
        {
            await publisher.WhenAcknowledged(5);
            await page.WaitForFunctionAsync("() => received.length >= 3");

            await fixture.Replicas.StopAsync(node);

            await page.WaitForFunctionAsync("() => welcomes.length === 2");
            await publisher.WhenAcknowledged(publisher.Acknowledged.Count + 10);
            await stopPublishing.CancelAsync();
            await publishing;

            var acknowledged = publisher.Acknowledged.Select(message => message.Seq).Order().ToList();
            await page.WaitForFunctionAsync("count => received.length >= count", acknowledged.Count);
            var received = await page.EvaluateAsync<long[]>("() => received");
            Assert.Equal(acknowledged, received);
            Assert.NotEqual(node, await page.EvaluateAsync<string>("() => welcomes[1]"));
            IRequest[] requests;
            lock (streams)
            {
                requests = [.. streams];
            }

            Assert.False((await requests[0].AllHeadersAsync()).ContainsKey("last-event-id"));
            Assert.True((await requests[^1].AllHeadersAsync()).TryGetValue("last-event-id", out var lastEventId) && lastEventId.Length > 0,
                "The reconnect carried no Last-Event-ID.");
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await publishing;
            await fixture.Replicas.StartAsync(node);
        }
    }

    [Fact]
    public async Task The_live_page_falls_back_to_server_sent_events_when_websockets_are_refused_and_still_receives()
    {
        await using var session = await fixture.NewSessionAsync();
        // Every WebSocket the pages open is answered by Playwright instead of the API, and closed at once: what a proxy
        // that does not pass upgrades does to a browser. Event streams are plain HTTP and go through.
        await session.Context.RouteWebSocketAsync(new Regex(@"/ws\?"), async socket => await socket.CloseAsync());
        var userId = UserSession.NewUserId("judy");
        var live = await session.SignInAsync(userId, publisher: true);
        var connection = live.Connection(1);

        await Expect(connection).ToHaveAttributeAsync("data-transport", "sse");
        await Expect(connection.GetByTestId("connection-transport")).ToContainTextAsync("3 WebSocket attempts in a row ended without a welcome");
        var seq = await live.SendToUserAsync(userId, """{"title":"over an event stream"}""");
        await Expect(live.Notification($"user:{userId}", seq)).ToContainTextAsync("over an event stream");
        await Expect(connection).ToHaveAttributeAsync("data-close-codes", new Regex(@"^\d+,\d+,\d+"));
        await live.ScreenshotAsync("live-sse-fallback");
    }

    [Fact]
    public async Task A_connection_opened_with_server_sent_events_subscribes_to_a_topic_by_reopening_its_stream()
    {
        await using var session = await fixture.NewSessionAsync();
        var userId = UserSession.NewUserId("kim");
        var live = await session.SignInAsync(userId, publisher: true);
        var topic = $"sse-{Guid.NewGuid():N}"[..12];
        await live.Page.Locator("[data-testid=transport-picker]").SelectOptionAsync("sse");
        await live.Page.GetByRole(AriaRole.Button, new() { Name = "Open another connection" }).ClickAsync();
        await live.WaitUntilOpenAsync(2);
        await Expect(live.Connection(2)).ToHaveAttributeAsync("data-transport", "sse");

        await live.SubscribeAsync(topic);
        await Expect(live.TopicState(topic, 2)).ToHaveAttributeAsync("data-state", "subscribed");
        var seq = await live.SendToTopicAsync(topic, "\"to both transports\"");

        await Expect(live.Notification($"topic:{topic}", seq)).ToContainTextAsync("#1 #2");
    }
}
