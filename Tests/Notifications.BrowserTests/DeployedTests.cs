using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

/// <summary>
/// What `azd up` deploys, run here as the containers would run it (Production, environment variables only, the API
/// behind an nginx ingress): the test client signs people in with the access code, feeds, sends and resumes.
/// </summary>
[Collection(Deployed.Name)]
public sealed partial class DeployedTests(DeployedFixture fixture)
{
    [Fact]
    public async Task With_the_access_code_a_user_signs_in_sends_receives_and_resumes_when_their_replica_stops()
    {
        await using var session = await fixture.NewSessionAsync();
        var frank = UserSession.NewUserId("frank");
        var page = await session.SignInAsync(frank, publisher: true, DeployedFixture.AccessCode);
        var stream = $"user:{frank}";
        var first = await page.SendToUserAsync(frank, """{"title":"sent from the deployed test client"}""");
        await Expect(page.Notification(stream, first)).ToContainTextAsync("sent from the deployed test client");

        var node = await page.NodeOfAsync(1);
        var replica = fixture.Cluster.Replicas.Single(replica => $"replica-{replica.Index}" == node);
        var publisher = new SteadyPublisher(fixture.Ingress.BaseAddress, Tokens.For("deployed-backend", publisher: true));
        using var stopPublishing = new CancellationTokenSource();
        var publishing = publisher.PublishUntilAsync(frank, () => Task.FromResult(stopPublishing.IsCancellationRequested), max: 400,
            TimeSpan.FromMilliseconds(100));
        try
        {
            await publisher.WhenAcknowledged(10);
            await replica.StopAsync(TimeSpan.FromSeconds(30));

            var connection = page.Connection(1);
            await Expect(connection).ToHaveAttributeAsync("data-close-codes", StartsWith1012());
            await Expect(connection).ToHaveAttributeAsync("data-state", "open");
            await Expect(connection).Not.ToHaveAttributeAsync("data-node", node);
            await publisher.WhenAcknowledged(publisher.Acknowledged.Count + 10);
            await stopPublishing.CancelAsync();
            await publishing;

            var acknowledged = publisher.Acknowledged.Select(message => message.Seq).Order().ToList();
            Assert.Equal(Enumerable.Range((int)first + 1, acknowledged.Count).Select(seq => (long)seq), acknowledged);
            await Expect(page.Notifications(stream)).ToHaveCountAsync(acknowledged.Count + 1);
            Assert.Equal([first, .. acknowledged], (await page.SeqsAsync(stream)).Order());
            await page.ScreenshotAsync("deployed-after-failover");
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await publishing;
            await fixture.Cluster.RestartAsync(replica);
        }
    }

    [Fact]
    public async Task Redis_restarted_from_its_append_only_file_keeps_the_streams_so_the_page_carries_on_without_a_gap()
    {
        await using var session = await fixture.NewSessionAsync();
        var grace = UserSession.NewUserId("grace");
        var page = await session.SignInAsync(grace, publisher: true, DeployedFixture.AccessCode);
        var stream = $"user:{grace}";
        var before = await page.SendToUserAsync(grace, "\"before the restart\"");
        await Expect(page.Notification(stream, before)).ToBeVisibleAsync();

        // A crash, not a shutdown: only what the append-only file holds comes back (as the Redis app's volume keeps it).
        await fixture.Cluster.Redis.StopAsync();
        await fixture.Cluster.Redis.StartAsync();
        // Publishes are refused (503) until the replicas are reconnected; the form says so and the next try goes in.
        var after = await Eventually.UntilValueAsync<long>("a publish after the restart",
            async _ => await page.SendToUserAsync(grace, "\"after the restart\""));

        Assert.Equal(before + 1, after);
        await Expect(page.Notification(stream, after)).ToBeVisibleAsync();
        await Expect(page.Page.GetByText("not recovered")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_wrong_access_code_is_refused_with_403_and_repeated_attempts_from_one_address_with_429()
    {
        using var client = new SignInClient(fixture.Web.BaseAddress, forwardedFor: "203.0.113.7");

        var wrong = await client.PostAsync("mallory", "not-the-access-code");
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains("That access code is not the one of this deployment.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(client.SignedIn);

        HttpResponseMessage answer;
        do
        {
            answer = await client.PostAsync("mallory", "still-not-the-access-code");
        }
        while (answer.StatusCode == HttpStatusCode.Forbidden);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.True(answer.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // The limit is per client address: another client, with the right code, still gets in.
        using var other = new SignInClient(fixture.Web.BaseAddress, forwardedFor: "203.0.113.8");
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostAsync("grace", DeployedFixture.AccessCode)).StatusCode);
        Assert.True(other.SignedIn);
    }

    [Fact]
    public async Task Without_an_access_code_sign_in_is_off_and_the_api_has_no_development_token_endpoint()
    {
        await using var session = await Chromium.NewSessionAsync(fixture.Browser, fixture.WebWithoutCode.BaseAddress);
        var page = await session.Context.NewPageAsync();
        await page.GotoAsync("signin");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in is off");
        await Expect(page.GetByLabel("User id")).ToHaveCountAsync(0);

        using var forged = new SignInClient(fixture.WebWithoutCode.BaseAddress, forwardedFor: "203.0.113.9");
        Assert.NotEqual(HttpStatusCode.Redirect, (await forged.PostAsync("mallory", "")).StatusCode);
        Assert.False(forged.SignedIn);

        using var http = new HttpClient { BaseAddress = fixture.Ingress.BaseAddress };
        using var devToken = await http.PostAsJsonAsync(Routes.DevToken, new DevTokenRequest("mallory", [TokenClaims.PublisherRole]));
        Assert.Equal(HttpStatusCode.NotFound, devToken.StatusCode);
    }

    [GeneratedRegex("^1012")]
    private static partial Regex StartsWith1012();
}
