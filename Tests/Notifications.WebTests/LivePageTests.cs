using System.Net;
using Notifications.Web.Components.Pages;
using Notifications.Web.Feed;
using Notifications.WebTests.Infrastructure;

namespace Notifications.WebTests;

/// <summary>The Live page with the browser side (js/live-feed.js) replaced by bUnit's JS interop.</summary>
public sealed class LivePageTests : WebContext
{
    private readonly BunitJSInterop _client;

    public LivePageTests()
    {
        SignIn("alice", publisher: true, token: "alice-token");
        var module = JSInterop.SetupModule(Live.ModulePath);
        _client = module.SetupModule("open", _ => true);
        _client.SetupVoid("stop").SetVoidResult();
        module.SetupVoid("subscribe", _ => true).SetVoidResult();
        module.SetupVoid("unsubscribe", _ => true).SetVoidResult();
    }

    [Fact]
    public void The_page_opens_one_browser_connection_with_the_apis_browser_address()
    {
        var page = Render<Live>();

        var open = Assert.Single(JSInterop.Invocations, invocation => invocation.Identifier == "open");
        Assert.Equal(1, open.Arguments[1]);
        Assert.Contains(ApiUrl.ToString(), open.Arguments[2]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("connecting", page.Find("[data-testid=connection-state]").TextContent);
    }

    [Fact]
    public async Task The_browser_gets_the_signed_in_users_token()
    {
        var page = Render<Live>();

        Assert.Equal("alice-token", await page.InvokeAsync(() => page.Instance.GetAccessTokenAsync()));
    }

    [Fact]
    public async Task A_connection_shows_its_node_state_round_trip_and_closes_so_far()
    {
        var page = Render<Live>();

        await page.InvokeAsync(() => page.Instance.OnConnectionChanged(1, Open("notifications-api-b") with
        {
            RttMs = 3.25,
            Reconnects = 1,
            CloseCodes = [1012],
            CloseCode = 1012,
            Nodes = ["notifications-api-a", "notifications-api-b"],
        }));

        var card = page.Find("[data-testid=connection]");
        Assert.Equal("open", card.GetAttribute("data-state"));
        Assert.Equal("notifications-api-b", page.Find("[data-testid=connection-node]").TextContent);
        Assert.Equal("3.3 ms", page.Find("[data-testid=connection-rtt]").TextContent);
        Assert.Equal("1012 service restart", page.Find("[data-testid=connection-close]").TextContent);
        Assert.Contains("a → b", card.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notifications_from_two_connections_show_once_with_both_connection_numbers()
    {
        var page = Render<Live>();
        page.Find("button.btn-outline-primary").Click();
        var notification = LiveFeedTests.Received("m1", 7);

        await page.InvokeAsync(() => page.Instance.OnNotifications(1, [notification], Open("a")));
        await page.InvokeAsync(() => page.Instance.OnNotifications(2, [notification], Open("b")));

        var row = page.Find("[data-testid=notification]");
        Assert.Equal("7", row.GetAttribute("data-seq"));
        Assert.Contains("#1 #2", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("""{"n":7}""", row.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, JSInterop.Invocations.Count(invocation => invocation.Identifier == "open"));
    }

    [Fact]
    public async Task Close_stops_the_browser_connection_and_a_closed_one_can_be_removed()
    {
        var page = Render<Live>();

        page.Find("[aria-label='Close connection 1']").Click();
        Assert.Single(JSInterop.Invocations, invocation => invocation.Identifier == "stop");
        await page.InvokeAsync(() => page.Instance.OnConnectionChanged(1, ConnectionStatus.Connecting with
        {
            State = ConnectionStates.Closed,
            CloseCode = 1000,
            CloseCodes = [1000],
        }));
        Assert.Equal("closed 1000", page.Find("[data-testid=connection-state]").TextContent);

        page.Find("[aria-label='Remove connection 1']").Click();
        Assert.Empty(page.FindAll("[data-testid=connection]"));
    }

    [Fact]
    public async Task A_topic_is_subscribed_on_every_connection_and_on_those_opened_later_with_the_chosen_transport_and_its_presence_shows()
    {
        Api.Answer = request => request.Path == "/api/topics/team-42/presence"
            ? StubApi.Json(HttpStatusCode.OK, """
                {"topic":"team-42","connections":3,"users":2,"answeredBy":"api-a","asOf":"2026-11-30T08:00:00+00:00",
                 "nodes":[{"node":"api-a","connections":2,"users":1,"reportedAt":"2026-11-30T08:00:00+00:00"},
                          {"node":"api-b","connections":1,"users":1,"reportedAt":"2026-11-30T08:00:00+00:00"}]}
                """)
            : new HttpResponseMessage(HttpStatusCode.NotFound);
        var page = Render<Live>();
        page.Find("[data-testid=transport-picker]").Change(Transports.ServerSentEvents);
        page.Find("button.btn-outline-primary").Click();

        page.Find("#topic-name").Input("team-42");
        await page.Find("[data-testid=topics] form").SubmitAsync();
        page.Find("button.btn-outline-primary").Click();
        await page.InvokeAsync(() => page.Instance.OnConnectionChanged(1, Open("api-a") with
        {
            Topics = new Dictionary<string, TopicStatus> { ["team-42"] = new(TopicStates.Subscribed, null, null) },
        }));

        page.WaitForAssertion(() => Assert.Equal(3, JSInterop.Invocations.Count(invocation => invocation.Identifier == "open")));
        Assert.Equal(["team-42", "team-42"],
            JSInterop.Invocations.Where(invocation => invocation.Identifier == "subscribe").Select(invocation => invocation.Arguments[1]));
        var opened = JSInterop.Invocations.Where(invocation => invocation.Identifier == "open")
            .Select(invocation => System.Text.Json.JsonSerializer.Serialize(invocation.Arguments[2])).ToList();
        Assert.Contains("""
            "transport":"auto","topics":[]
            """, opened[0], StringComparison.Ordinal);
        Assert.Contains("""
            "transport":"sse","topics":["team-42"]
            """, opened[2], StringComparison.Ordinal);
        Assert.Equal("3 connections, 2 users across 2 replicas", page.Find("[data-testid=topic-presence]").TextContent);
        Assert.Equal("Bearer alice-token", Api.Requests.Single().Authorization);
        Assert.Equal("#1 subscribed", page.Find("[data-testid=topic-state][data-number='1']").TextContent.Trim());

        page.Find("[aria-label='Unsubscribe from team-42']").Click();
        Assert.Equal(3, JSInterop.Invocations.Count(invocation => invocation.Identifier == "unsubscribe"));
        Assert.Empty(page.FindAll("[data-testid=topic]"));
    }

    [Fact]
    public async Task A_topic_name_the_api_would_refuse_is_refused_on_the_page()
    {
        var page = Render<Live>();

        page.Find("#topic-name").Input("team 42");
        await page.Find("[data-testid=topics] form").SubmitAsync();

        Assert.Contains("Topic names are 1 to 128 characters", page.Find("[data-testid=topic-error]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(JSInterop.Invocations, invocation => invocation.Identifier == "subscribe");
    }

    [Fact]
    public async Task A_connection_that_fell_back_to_server_sent_events_says_why()
    {
        var page = Render<Live>();

        await page.InvokeAsync(() => page.Instance.OnConnectionChanged(1, Open("api-a") with
        {
            Transport = Transports.ServerSentEvents,
            TransportReason = "3 WebSocket attempts in a row ended without a welcome",
        }));

        Assert.Equal("Server-Sent Events (fallback: 3 WebSocket attempts in a row ended without a welcome)",
            page.Find("[data-testid=connection-transport]").TextContent);
        Assert.Equal("sse", page.Find("[data-testid=connection]").GetAttribute("data-transport"));
    }

    private static ConnectionStatus Open(string node) =>
        ConnectionStatus.Connecting with { State = ConnectionStates.Open, Node = node, Nodes = [node] };
}
