namespace Notifications.Api.Connections;

/// <summary>
/// Closes connections whose token expired (4001), so a revoked or stale identity does not keep receiving. One sweep a
/// second over the registry instead of a timer per connection.
/// </summary>
internal sealed class TokenExpiryService(ConnectionRegistry registry, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                foreach (var connection in registry.All())
                {
                    if (connection.ExpiresAt <= now)
                    {
                        _ = connection.CloseAsync(CloseStatuses.TokenExpired, "token expired: reconnect with a fresh token and resume");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
