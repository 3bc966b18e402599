using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Limits;
using Notifications.Api.Telemetry;
using Notifications.Api.Topics;

namespace Notifications.Api.Connections;

/// <summary>
/// Runs an admitted connection, over either transport, from the upgrade (or the start of its event stream) to its end:
/// registered, started (welcome, replay), read until it ends, then removed, counted by why it ended and by transport,
/// and its ticket given back.
/// </summary>
public sealed class ConnectionRunner(IOptions<ConnectionOptions> options, IOptions<LimitsOptions> limits, WebSocketAdmission admission,
    ConnectionRegistry registry, ConnectionStarter starter, TopicSubscriptions topics, NotificationsMetrics metrics, LogThrottle throttle,
    NodeIdentity node, ILogger<ConnectionRunner> logger)
{
    /// <summary>Answers the upgrade (101); the ticket is given back if that fails.</summary>
    public async Task<WebSocket> AcceptAsync(HttpContext context, AdmissionTicket ticket)
    {
        try
        {
            return await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = options.Value.KeepAliveInterval,
                KeepAliveTimeout = options.Value.KeepAliveTimeout,
            });
        }
        catch
        {
            await admission.ReleaseAsync(ticket);
            throw;
        }
    }

    /// <summary>Runs the accepted <paramref name="socket"/> until it ends, then disposes it and gives the ticket back.</summary>
    public Task RunAsync(WebSocket socket, AdmissionTicket ticket) =>
        RunAsync(new WebSocketTransport(socket), ticket, connection => ReceiveLoop(socket, connection, ticket).RunAsync());

    /// <summary>
    /// Runs a connection over <paramref name="transport"/> until <paramref name="untilEnded"/> returns why it ended on
    /// the client's side (<see cref="TelemetryNames.CloseReasons"/>), then disposes the transport and gives the ticket back.
    /// </summary>
    public async Task RunAsync(ConnectionTransport transport, AdmissionTicket ticket, Func<NotificationConnection, Task<string>> untilEnded)
    {
        var connection = Open(transport, ticket);
        var ended = TelemetryNames.CloseReasons.ConnectionLost;
        try
        {
            await StartAsync(connection, ticket);
            topics.OnConnectionStarted(connection, ticket);
            ended = await untilEnded(connection);
        }
        finally
        {
            Close(connection, ticket, ended);
            transport.Dispose();
            await admission.ReleaseAsync(ticket);
        }
    }

    private NotificationConnection Open(ConnectionTransport transport, AdmissionTicket ticket)
    {
        var settings = options.Value;
        var connection = new NotificationConnection(ticket.ConnectionId, ticket.Identity.UserId, ticket.Identity.ExpiresAt, transport,
            settings.OutboundQueueCapacity, settings.CloseTimeout, metrics);
        // Registered before the positions are read, so nothing published after them can slip past this connection.
        registry.Add(connection);
        foreach (var topic in ticket.Topics)
        {
            registry.Subscribe(Streams.ForTopic(topic), connection);
        }

        metrics.ConnectionOpened(transport.Name);
        ConnectionsLog.Opened(logger, connection.Id, connection.UserId, node.Name, transport.Name);
        return connection;
    }

    private void Close(NotificationConnection connection, AdmissionTicket ticket, string ended)
    {
        connection.Dispose();
        registry.Remove(connection);
        topics.OnConnectionEnded(connection, ticket);
        var duration = Stopwatch.GetElapsedTime(connection.OpenedTimestamp);
        // When the server closed it, its close code says why; otherwise the client's side does.
        var reason = connection.CloseStatus is { } status ? CloseStatuses.Reason(status) : ended;
        metrics.ConnectionClosed(duration, reason, connection.Transport.Name);
        ConnectionsLog.Closed(logger, connection.Id, connection.UserId, duration.TotalSeconds, reason);
    }

    private async Task StartAsync(NotificationConnection connection, AdmissionTicket ticket)
    {
        try
        {
            await starter.StartAsync(connection, ticket.Resume, ticket.Topics);
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

    private ConnectionReceiveLoop ReceiveLoop(WebSocket socket, NotificationConnection connection, AdmissionTicket ticket)
    {
        var (settings, rates) = (options.Value, limits.Value);
        return new ConnectionReceiveLoop(socket, connection, settings.MaxInboundMessageBytes,
            new InboundRate(rates.InboundMessagesPerSecond, rates.InboundMessageBurst), metrics, throttle, logger, topics, ticket);
    }
}
