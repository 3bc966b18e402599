namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// Waits for a condition that only shows from outside (an HTTP answer) with a deadline, asking again at a short
/// interval; never a fixed sleep. (In a page, Playwright's own expectations do this.)
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    public static async Task<T> UntilAsync<T>(string what, Func<Task<T?>> attempt) where T : struct
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            if (await attempt() is { } result)
            {
                return result;
            }

            try
            {
                await Task.Delay(Interval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {Timeout}.");
            }
        }
    }
}
