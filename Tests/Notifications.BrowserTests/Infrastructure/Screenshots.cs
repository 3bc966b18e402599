namespace Notifications.BrowserTests.Infrastructure;

public static class Screenshots
{
    /// <summary>Saves the whole page as <c>screenshots/{name}.png</c> under the test output.</summary>
    public static Task TakeAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserAppHostFixture.ScreenshotDirectory, $"{name}.png"),
            FullPage = true,
        });
}
