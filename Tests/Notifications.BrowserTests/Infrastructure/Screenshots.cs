namespace Notifications.BrowserTests.Infrastructure;

public static class Screenshots
{
    /// <summary>Saves the page (whole, or what the window shows) as <c>screenshots/{name}.png</c> under the test output.</summary>
    public static Task TakeAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserAppHostFixture.ScreenshotDirectory, $"{name}.png"),
            FullPage = fullPage,
        });
}
