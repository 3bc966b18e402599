namespace Notifications.Api.Connections;

/// <summary>
/// When the host begins to stop, closes every connection with 1012 so clients reconnect elsewhere and the
/// server's request drain is not held up by sockets that would otherwise stay open.
/// </summary>
internal sealed class ShutdownCloser(IHostApplicationLifetime lifetime, ConnectionRegistry registry, ILogger<ShutdownCloser> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(CloseAll);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void CloseAll()
    {
        ConnectionsLog.ClosingForShutdown(logger, registry.ConnectionCount);
        foreach (var connection in registry.All())
        {
            _ = connection.CloseAsync(CloseCodes.ServiceRestart, "service restart: reconnect and resume");
        }
    }
}
