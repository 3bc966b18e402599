using System.Runtime.CompilerServices;

namespace Notifications.Testing;

/// <summary>
/// Waits for a condition that only shows from outside (a health endpoint, a Redis counter) with a deadline,
/// checking it again at a short interval; never a fixed sleep.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(45);

    public static async Task<T> UntilAsync<T>(string what, Func<CancellationToken, Task<T?>> attempt, TimeSpan? timeout = null)
        where T : class
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        Exception? lastError = null;
        var interval = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                if (await attempt(deadline.Token) is { } result)
                {
                    return result;
                }
            }
            catch (Exception exception) when (!deadline.IsCancellationRequested)
            {
                lastError = exception;
            }
            catch (OperationCanceledException)
            {
            }

            try
            {
                await Task.Delay(interval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what} did not happen within {timeout ?? DefaultTimeout}.", lastError);
            }

            interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * 2, 500));
        }
    }

    public static Task UntilAsync(string what, Func<CancellationToken, Task<bool>> condition, TimeSpan? timeout = null) =>
        UntilAsync(what, async token => await condition(token) ? string.Empty : null, timeout);

    /// <summary>As <see cref="UntilAsync{T}"/>, for a value type.</summary>
    public static async Task<T> UntilValueAsync<T>(string what, Func<CancellationToken, Task<T?>> attempt, TimeSpan? timeout = null)
        where T : struct =>
        (await UntilAsync(what, async token => await attempt(token) is { } value ? new StrongBox<T>(value) : null, timeout)).Value;
}
