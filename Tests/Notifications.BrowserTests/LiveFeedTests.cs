using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

[Collection(BrowserAppHost.Name)]
public sealed class LiveFeedTests(BrowserAppHostFixture fixture)
{
    [Fact]
    public async Task A_message_to_one_user_appears_only_in_that_users_browser_and_a_broadcast_in_both()
    {
        await using var aliceSession = await fixture.NewSessionAsync();
        await using var bobSession = await fixture.NewSessionAsync();
        var (alice, bob) = (UserSession.NewUserId("alice"), UserSession.NewUserId("bob"));
        var alicePage = await aliceSession.SignInAsync(alice, publisher: true);
        var bobPage = await bobSession.SignInAsync(bob, publisher: true);

        var toBob = await alicePage.SendToUserAsync(bob, """{"title":"Hello Bob","from":"alice"}""");

        Assert.Equal(1, toBob);
        await Expect(bobPage.Notification($"user:{bob}", toBob)).ToContainTextAsync("Hello Bob");
        var broadcast = await bobPage.BroadcastAsync("""{"title":"Hello everyone"}""");
        await Expect(alicePage.Notification("broadcast", broadcast)).ToContainTextAsync("Hello everyone");
        await Expect(bobPage.Notification("broadcast", broadcast)).ToContainTextAsync("Hello everyone");
        // Alice received the broadcast, published after the message to Bob, and nothing of Bob's stream.
        await Expect(alicePage.Notifications($"user:{bob}")).ToHaveCountAsync(0);
        await Expect(bobPage.Notifications($"user:{alice}")).ToHaveCountAsync(0);

        await alicePage.ScreenshotAsync("live-alice");
        await bobPage.ScreenshotAsync("live-bob");
    }

    [Fact]
    public async Task Extra_connections_of_the_same_user_each_receive_the_message_and_close_with_1000()
    {
        await using var session = await fixture.NewSessionAsync();
        var carol = UserSession.NewUserId("carol");
        var page = await session.SignInAsync(carol, publisher: true);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Open another connection" }).ClickAsync();
        await page.WaitUntilOpenAsync(2);
        var seq = await page.SendToUserAsync(carol, "\"to every tab\"");

        await Expect(page.Notification($"user:{carol}", seq)).ToContainTextAsync("#1 #2");
        await Expect(page.Connection(1).GetByTestId("connection-rtt")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\d+\.\d ms"));
        await page.ScreenshotAsync("live-two-connections");

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Close connection 2" }).ClickAsync();
        await Expect(page.Connection(2).GetByTestId("connection-state")).ToHaveTextAsync("closed 1000");
        var next = await page.SendToUserAsync(carol, "\"only the first\"");
        await Expect(page.Notification($"user:{carol}", next)).ToContainTextAsync("#1");
        await Expect(page.Notification($"user:{carol}", next)).Not.ToContainTextAsync("#2");
    }

    [Fact]
    public async Task The_send_form_checks_the_json_before_sending_and_shows_the_apis_refusal()
    {
        await using var session = await fixture.NewSessionAsync();
        var dave = UserSession.NewUserId("dave");
        var page = await session.SignInAsync(dave, publisher: false);
        await Expect(page.Page.GetByTestId("send-not-publisher")).ToBeVisibleAsync();

        await page.Page.GetByLabel("Data (any JSON value)").FillAsync("{not json");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Page.GetByText("Not valid JSON")).ToBeVisibleAsync();
        await Expect(page.Page.GetByTestId("send-result")).ToHaveAttributeAsync("data-completed", "0");

        await page.Page.GetByLabel("Data (any JSON value)").FillAsync("42");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Page.GetByTestId("send-result")).ToContainTextAsync("403");
        await page.ScreenshotAsync("live-send-refused");
    }

    [Fact]
    public async Task The_live_page_asks_for_sign_in_first_and_the_sign_in_page_checks_the_user_id()
    {
        await using var session = await fixture.NewSessionAsync();
        var page = await session.NewPageAsync("/");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");
        await page.GetByLabel("User id").FillAsync("not a valid id");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByText("User ids are 1 to 128 characters")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "signin");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        await using var session = await fixture.NewSessionAsync();
        var live = await session.SignInAsync(UserSession.NewUserId("grace"), publisher: false);

        await live.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await live.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");
        await live.Page.GotoAsync("/");
        await live.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/signin");
        await Expect(live.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in", Exact = true }).First).ToBeVisibleAsync();
    }
}
