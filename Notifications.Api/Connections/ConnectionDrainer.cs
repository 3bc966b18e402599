using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Notifications.Api.Connections;

/// <summary>
/// Graceful shutdown. Before the server stops listening, the replica reports unready, refuses new upgrades (503) and
/// closes its clients with 1012 spread over <see cref="ConnectionOptions.DrainWindow"/>, so they reconnect to other
/// replicas in a trickle rather than a storm. Within the window it stays up until the close handshakes are done;
/// then the server stops listening and waits for what is left (bounded by the close timeout).
/// </summary>
public sealed class ConnectionDrainer(ConnectionRegistry registry, IOptions<ConnectionOptions> options, ILogger<ConnectionDrainer> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var started = Stopwatch.GetTimestamp();
        var connections = registry.All().ToArray();
        ConnectionsLog.ClosingForShutdown(logger, connections.Length, options.Value.DrainWindow);
        var steps = Math.Max(1, (int)(options.Value.DrainWindow / Step));
        var perStep = (int)Math.Ceiling(connections.Length / (double)steps);
        foreach (var group in connections.Chunk(Math.Max(1, perStep)))
        {
            foreach (var connection in group)
            {
                _ = connection.CloseAsync(CloseStatuses.ServiceRestart, "service restart: reconnect and resume");
            }

            await Task.Delay(Step, CancellationToken.None);
        }

        // Until the window ends, stay up (and refusing) while clients finish their close handshakes, and close
        // connections that were being accepted when the drain began.
        while (registry.ConnectionCount > 0 && Stopwatch.GetElapsedTime(started) < options.Value.DrainWindow)
        {
            foreach (var connection in registry.All())
            {
                _ = connection.CloseAsync(CloseStatuses.ServiceRestart, "service restart: reconnect and resume");
            }

            await Task.Delay(Step, CancellationToken.None);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
