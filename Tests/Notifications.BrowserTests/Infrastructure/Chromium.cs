namespace Notifications.BrowserTests.Infrastructure;

public static class Chromium
{
    /// <summary>
    /// Debian's Chromium, headless: Playwright's own browser download needs a network this machine does not have.
    /// </summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A fresh browser profile (its own cookies: its own signed-in user) on <paramref name="baseUrl"/>.</summary>
    public static async Task<UserSession> NewSessionAsync(IBrowser browser, Uri baseUrl) =>
        new(await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        }));
}
