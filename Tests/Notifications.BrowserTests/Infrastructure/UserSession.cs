namespace Notifications.BrowserTests.Infrastructure;

/// <summary>One browser profile: its own cookie jar, so its own signed-in user, with any number of tabs.</summary>
public sealed class UserSession(IBrowserContext context) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;

    /// <summary>A user id no other test (or earlier run against the same backplane) has used.</summary>
    public static string NewUserId(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];

    /// <summary>Signs in through the sign-in page and lands on the Live page with its first connection open.</summary>
    public async Task<LivePage> SignInAsync(string userId, bool publisher, string? accessCode = null)
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync("signin");
        await page.GetByLabel("User id").FillAsync(userId);
        if (accessCode is not null)
        {
            await page.GetByLabel("Access code").FillAsync(accessCode);
        }

        await page.GetByLabel("Publisher role").SetCheckedAsync(publisher);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        var live = new LivePage(page);
        await live.WaitUntilOpenAsync(1);
        return live;
    }

    /// <summary>Another tab of the same signed-in user.</summary>
    public async Task<IPage> NewPageAsync(string path)
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync(path);
        return page;
    }

    public ValueTask DisposeAsync() => Context.DisposeAsync();
}
