using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>
/// Runs an admitted connection from the upgrade to its end: registered, started (welcome, replay), read until it ends,
/// then removed and counted by why it ended.
/// </summary>
public sealed class ConnectionRunner(IOptions<ConnectionOptions> options, IOptions<LimitsOptions> limits, ConnectionRegistry registry,
    ConnectionStarter starter, NotificationsMetrics metrics, LogThrottle throttle, NodeIdentity node, ILogger<ConnectionRunner> logger)
{
    public async Task RunAsync(HttpContext context, AdmissionTicket ticket)
    {
        var settings = options.Value;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = settings.KeepAliveInterval,
            KeepAliveTimeout = settings.KeepAliveTimeout,
        });
        var connection = new NotificationConnection(ticket.ConnectionId, ticket.Identity.UserId, ticket.Identity.ExpiresAt, socket,
            settings.OutboundQueueCapacity, settings.CloseTimeout, metrics);
        // Registered before the positions are read, so nothing published after them can slip past this connection.
        registry.Add(connection);
        metrics.ConnectionOpened();
        ConnectionsLog.Opened(logger, connection.Id, connection.UserId, node.Name);
        var ended = TelemetryNames.CloseReasons.ConnectionLost;
        try
        {
            await StartAsync(connection, ticket.Resume);
            ended = await ReceiveLoop(socket, connection).RunAsync();
        }
        finally
        {
            connection.Dispose();
            registry.Remove(connection);
            var duration = Stopwatch.GetElapsedTime(connection.OpenedTimestamp);
            // When the server closed it, its close code says why; otherwise the client's side does.
            var reason = connection.CloseStatus is { } status ? CloseStatuses.Reason(status) : ended;
            metrics.ConnectionClosed(duration, reason);
            ConnectionsLog.Closed(logger, connection.Id, connection.UserId, duration.TotalSeconds, reason);
        }
    }

    private async Task StartAsync(NotificationConnection connection, ResumeRequest? resume)
    {
        try
        {
            await starter.StartAsync(connection, resume);
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            if (throttle.TryEnter(TelemetryNames.CloseReasons.Backplane, out var suppressed))
            {
                ConnectionsLog.StartFailed(logger, exception, connection.Id, suppressed);
            }

            _ = connection.CloseAsync(CloseStatuses.TryAgainLater, "backplane unavailable: reconnect shortly");
        }
    }

    private ConnectionReceiveLoop ReceiveLoop(WebSocket socket, NotificationConnection connection)
    {
        var (settings, rates) = (options.Value, limits.Value);
        return new ConnectionReceiveLoop(socket, connection, settings.MaxInboundMessageBytes,
            new InboundRate(rates.InboundMessagesPerSecond, rates.InboundMessageBurst), metrics, throttle, logger);
    }
}
