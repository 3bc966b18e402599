using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

[Collection(BrowserAppHost.Name)]
public sealed class FailoverTests(BrowserAppHostFixture fixture)
{
    [Fact]
    public async Task Stopping_the_replica_a_page_is_on_moves_the_page_to_another_node_and_it_resumes_with_no_missing_seq()
    {
        await using var session = await fixture.NewSessionAsync();
        var erin = UserSession.NewUserId("erin");
        var page = await session.SignInAsync(erin, publisher: true);
        var stream = $"user:{erin}";
        var node = await page.NodeOfAsync(1);
        var publisher = new SteadyPublisher(fixture.ApiUrl, await DevTokens.IssueAsync(fixture.ApiUrl, "browser-tests-backend", TokenClaims.PublisherRole));
        using var stopPublishing = new CancellationTokenSource();
        var publishing = publisher.PublishUntilAsync(erin, () => Task.FromResult(stopPublishing.IsCancellationRequested), max: 400,
            TimeSpan.FromMilliseconds(100));
        try
        {
            await publisher.WhenAcknowledged(10);
            await Expect(page.Notification(stream, 5)).ToBeVisibleAsync();

            await fixture.Replicas.StopAsync(node);

            var connection = page.Connection(1);
            await Expect(connection).ToHaveAttributeAsync("data-state", "open");
            await Expect(connection).Not.ToHaveAttributeAsync("data-node", node);
            await Expect(connection).ToHaveAttributeAsync("data-close-codes", new System.Text.RegularExpressions.Regex("^1012"));
            var published = publisher.Acknowledged.Count;
            await publisher.WhenAcknowledged(published + 10);
            await stopPublishing.CancelAsync();
            await publishing;

            var acknowledged = publisher.Acknowledged.Select(message => message.Seq).ToList();
            await Expect(page.Notifications(stream)).ToHaveCountAsync(acknowledged.Count);
            var seqs = await page.SeqsAsync(stream);
            Assert.Equal(Enumerable.Range(1, acknowledged.Count).Select(seq => (long)seq), acknowledged.Order());
            Assert.Equal(acknowledged.Order(), seqs.Order());
            await page.ScreenshotAsync("live-after-failover");
            // The window only, as docs/web-client.png shows it in the README.
            await page.ScreenshotAsync("live-after-failover-window", fullPage: false);
        }
        finally
        {
            await stopPublishing.CancelAsync();
            await publishing;
            await fixture.Replicas.StartAsync(node);
        }
    }
}
