using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapNotificationsWebSocket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuthExtensions.WebSocketPath, ConnectAsync)
            .RequireAuthorization()
            .WithName("ConnectWebSocket")
            .WithSummary("Upgrades to the notification WebSocket of the authenticated user (docs/protocol.md).");
        return endpoints;
    }

    internal static async Task<IResult> ConnectAsync(
        HttpContext context,
        IOptions<ConnectionOptions> options,
        ConnectionRegistry registry,
        RedisBackplane backplane,
        NotificationsMetrics metrics,
        NodeIdentity node,
        ILogger<ConnectionRegistry> logger)
    {
        var settings = options.Value;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade required",
                detail: "GET /ws must be a WebSocket upgrade request.");
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (!OriginPolicy.IsAllowed(origin, settings.AllowedOrigins))
        {
            ConnectionsLog.OriginRefused(logger, origin);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed",
                detail: "Pages from this origin may not open notification sockets.");
        }

        var userId = context.User.FindFirstValue(ClaimNames.Subject);
        if (!UserIds.IsValid(userId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid subject", detail: UserIds.Rule);
        }

        // Subscribed before the upgrade: a client that has its welcome receives everything published after it.
        try
        {
            await backplane.AcquireUserAsync(userId, context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            ConnectionsLog.BackplaneUnavailable(logger, exception, userId);
            context.Response.Headers.RetryAfter = "2";
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Backplane unavailable",
                detail: "This replica cannot reach Redis; retry shortly.");
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.KeepAliveInterval,
                KeepAliveTimeout = settings.KeepAliveTimeout,
            });
            await RunConnectionAsync(socket, userId, settings, registry, metrics, node, logger, context.RequestAborted);
        }
        finally
        {
            await backplane.ReleaseUserAsync(userId);
        }

        return TypedResults.Empty;
    }

    private static async Task RunConnectionAsync(
        WebSocket socket, string userId, ConnectionOptions settings, ConnectionRegistry registry,
        NotificationsMetrics metrics, NodeIdentity node, ILogger logger, CancellationToken aborted)
    {
        var connection = new NotificationConnection(Guid.CreateVersion7().ToString("N"), userId, socket,
            settings.OutboundQueueCapacity, settings.CloseTimeout, metrics);
        // Queued before the connection is registered, so the welcome is always the first frame.
        connection.Send(Frames.Welcome(connection.Id, userId, node.Name, (int)settings.KeepAliveInterval.TotalSeconds));
        registry.Add(connection);
        metrics.ConnectionOpened();
        ConnectionsLog.Opened(logger, connection.Id, userId, node.Name);
        try
        {
            await new ConnectionReceiveLoop(socket, connection, settings.MaxInboundMessageBytes, logger).RunAsync(aborted);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or stopped answering pings: nothing to answer, only to clean up.
        }
        finally
        {
            registry.Remove(connection);
            var duration = System.Diagnostics.Stopwatch.GetElapsedTime(connection.OpenedTimestamp);
            metrics.ConnectionClosed(duration);
            ConnectionsLog.Closed(logger, connection.Id, userId, duration.TotalSeconds, connection.CloseStatus);
        }
    }
}
