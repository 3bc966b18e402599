namespace Notifications.Api.Backplane;

/// <summary>Keeps this replica subscribed to the broadcast channel, retrying until Redis answers.</summary>
internal sealed class BroadcastSubscriptionService(RedisBackplane backplane, ILogger<BroadcastSubscriptionService> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await backplane.SubscribeBroadcastAsync();
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                BackplaneLog.BroadcastSubscribeFailed(logger, exception, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await backplane.UnsubscribeBroadcastAsync();
    }
}
