using System.Globalization;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>The Live page as a person uses it: connection cards, the notification table, the Send form.</summary>
public sealed class LivePage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator Connection(int number) => Page.Locator($"[data-testid=connection][data-number='{number}']");

    public ILocator Notifications(string stream) => Page.Locator($"[data-testid=notification][data-stream='{stream}']");

    public ILocator Notification(string stream, long seq) =>
        Page.Locator($"[data-testid=notification][data-stream='{stream}'][data-seq='{seq}']");

    public Task WaitUntilOpenAsync(int connection) => Expect(Connection(connection)).ToHaveAttributeAsync("data-state", "open");

    public async Task<string> NodeOfAsync(int connection) =>
        await Connection(connection).GetAttributeAsync("data-node") ?? throw new InvalidOperationException("The connection has no node yet.");

    /// <summary>The seqs of a stream in the table, in table order.</summary>
    public async Task<long[]> SeqsAsync(string stream) =>
        [.. (await Notifications(stream).EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.seq)"))
            .Select(seq => long.Parse(seq, CultureInfo.InvariantCulture))];

    public Task<long> SendToUserAsync(string userId, string json) => SendAsync(userId, json);

    public Task<long> BroadcastAsync(string json) => SendAsync(null, json);

    /// <summary>Subscribes the page's connections to <paramref name="topic"/> and waits until connection 1 has it.</summary>
    public async Task SubscribeAsync(string topic)
    {
        await Page.Locator("#topic-name").FillAsync(topic);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Subscribe", Exact = true }).ClickAsync();
        await Expect(TopicState(topic, 1)).ToHaveAttributeAsync("data-state", "subscribed");
    }

    public ILocator TopicState(string topic, int connection) =>
        Page.Locator($"[data-testid=topic][data-topic='{topic}'] [data-testid=topic-state][data-number='{connection}']");

    public ILocator Presence(string topic) => Page.Locator($"[data-testid=topic][data-topic='{topic}'] [data-testid=topic-presence]");

    /// <summary>Fills and submits the Send form with a topic as the target; returns the accepted seq.</summary>
    public async Task<long> SendToTopicAsync(string topic, string json)
    {
        await Page.GetByLabel("A topic").CheckAsync();
        await Page.Locator("#send-topic").FillAsync(topic);
        return await SubmitAsync(json);
    }

    /// <summary>Fills and submits the Send form; returns the accepted seq, or fails with the error the page shows.</summary>
    public async Task<long> SendAsync(string? userId, string json)
    {
        if (userId is null)
        {
            await Page.GetByLabel("Everyone (broadcast)").CheckAsync();
        }
        else
        {
            await Page.GetByLabel("One user").CheckAsync();
            await Page.Locator("#send-user-id").FillAsync(userId);
        }

        return await SubmitAsync(json);
    }

    private async Task<long> SubmitAsync(string json)
    {
        var result = Page.GetByTestId("send-result");
        var completed = int.Parse(await result.GetAttributeAsync("data-completed") ?? "0", CultureInfo.InvariantCulture);
        await Page.GetByLabel("Data (any JSON value)").FillAsync(json);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(result).ToHaveAttributeAsync("data-completed", (completed + 1).ToString(CultureInfo.InvariantCulture));
        var seq = Page.GetByTestId("send-seq");
        Assert.True(await seq.IsVisibleAsync(), await result.InnerTextAsync());
        return long.Parse(await seq.InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    public Task ScreenshotAsync(string name, bool fullPage = true) => Screenshots.TakeAsync(Page, name, fullPage);
}
