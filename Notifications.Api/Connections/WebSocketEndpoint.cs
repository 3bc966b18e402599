using System.Globalization;
using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

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

    internal static async Task<IResult> ConnectAsync(HttpContext context, ConnectionServices services)
    {
        var settings = services.Options.Value;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return Problem(StatusCodes.Status400BadRequest, "WebSocket upgrade required", "GET /ws must be a WebSocket upgrade request.");
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (!OriginPolicy.IsAllowed(origin, settings.AllowedOrigins))
        {
            ConnectionsLog.OriginRefused(services.Logger, origin);
            return Problem(StatusCodes.Status403Forbidden, "Origin not allowed", "Pages from this origin may not open notification sockets.");
        }

        var userId = context.User.FindFirstValue(ClaimNames.Subject);
        if (!UserIds.IsValid(userId))
        {
            return Problem(StatusCodes.Status403Forbidden, "Invalid subject", UserIds.Rule);
        }

        var query = context.Request.Query;
        if (!ResumeRequest.TryParse(query[ResumeRequest.EpochParameter], query[ResumeRequest.SinceParameter],
                new HashSet<string>(StringComparer.Ordinal) { Streams.ForUser(userId), Streams.Broadcast }, out var resume, out var error))
        {
            return Problem(StatusCodes.Status400BadRequest, "Invalid resume position", error!);
        }

        if (services.Drainer.IsDraining)
        {
            ConnectionsLog.RefusedWhileDraining(services.Logger);
            context.Response.Headers.RetryAfter = "1";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Replica draining", "This replica is shutting down; connect again.");
        }

        // Subscribed before the upgrade: a client that has its welcome receives everything published after it.
        try
        {
            await services.Backplane.AcquireUserAsync(userId, context.RequestAborted);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            ConnectionsLog.BackplaneUnavailable(services.Logger, exception, userId);
            context.Response.Headers.RetryAfter = "2";
            return Problem(StatusCodes.Status503ServiceUnavailable, "Backplane unavailable", "This replica cannot reach Redis; retry shortly.");
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.KeepAliveInterval,
                KeepAliveTimeout = settings.KeepAliveTimeout,
            });
            await RunConnectionAsync(socket, userId, TokenExpiry(context.User), resume, services, context.RequestAborted);
        }
        finally
        {
            await services.Backplane.ReleaseUserAsync(userId);
        }

        return TypedResults.Empty;
    }

    private static async Task RunConnectionAsync(WebSocket socket, string userId, DateTimeOffset expiresAt, ResumeRequest? resume,
        ConnectionServices services, CancellationToken aborted)
    {
        var settings = services.Options.Value;
        var connection = new NotificationConnection(Guid.CreateVersion7().ToString("N"), userId, expiresAt, socket,
            settings.OutboundQueueCapacity, settings.CloseTimeout, services.Metrics);
        // Registered before the positions are read, so nothing published after them can slip past this connection.
        services.Registry.Add(connection);
        services.Metrics.ConnectionOpened();
        ConnectionsLog.Opened(services.Logger, connection.Id, userId, services.Node.Name);
        try
        {
            try
            {
                await services.Starter.StartAsync(connection, resume);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                ConnectionsLog.StartFailed(services.Logger, exception, connection.Id, userId);
                _ = connection.CloseAsync(CloseCodes.TryAgainLater, "backplane unavailable: reconnect shortly");
            }

            await new ConnectionReceiveLoop(socket, connection, settings.MaxInboundMessageBytes, services.Logger).RunAsync(aborted);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or stopped answering pings: nothing to answer, only to clean up.
        }
        finally
        {
            services.Registry.Remove(connection);
            var duration = System.Diagnostics.Stopwatch.GetElapsedTime(connection.OpenedTimestamp);
            services.Metrics.ConnectionClosed(duration);
            ConnectionsLog.Closed(services.Logger, connection.Id, userId, duration.TotalSeconds, connection.CloseStatus);
        }
    }

    private static DateTimeOffset TokenExpiry(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue("exp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MaxValue;

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail);
}

/// <summary>What the WebSocket endpoint needs, resolved once per request.</summary>
internal sealed record ConnectionServices(
    IOptions<ConnectionOptions> Options,
    ConnectionRegistry Registry,
    RedisBackplane Backplane,
    ConnectionStarter Starter,
    ConnectionDrainer Drainer,
    NotificationsMetrics Metrics,
    NodeIdentity Node,
    ILogger<ConnectionRegistry> Logger);
