using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Limits;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Connections;

public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapNotificationsWebSocket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuthExtensions.WebSocketPath, ConnectAsync)
            .AllowAnonymous()
            .RequireRateLimiting(LimitsExtensions.UpgradePolicy)
            .WithName("ConnectWebSocket")
            .WithSummary("Upgrades to the notification WebSocket of the authenticated user (docs/protocol.md).");
        return endpoints;
    }

    internal static async Task<IResult> ConnectAsync(HttpContext context, ConnectionServices services)
    {
        var settings = services.Options.Value;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket upgrade required",
                detail: "GET /ws must be a WebSocket upgrade request.");
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (!OriginPolicy.IsAllowed(origin, settings.AllowedOrigins))
        {
            ConnectionsLog.OriginRefused(services.Logger, origin);
            return Refuse(services, TelemetryNames.RejectionReasons.Origin, StatusCodes.Status403Forbidden, "Origin not allowed",
                "Pages from this origin may not open notification sockets.");
        }

        if (await services.Authenticator.AuthenticateAsync(context.Request) is not var (userId, expiresAt))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Refuse(services, TelemetryNames.RejectionReasons.Unauthenticated, StatusCodes.Status401Unauthorized, "Unauthorized",
                "A valid bearer token is required, in the Authorization header or the access_token query parameter.");
        }

        // The connection's own work is not part of the upgrade request's trace, which would otherwise collect every
        // Redis command of the connection for as long as it lives.
        Activity.Current = null;

        var query = context.Request.Query;
        if (!ResumeRequest.TryParse(query[ResumeRequest.EpochParameter], query[ResumeRequest.SinceParameter],
                new HashSet<string>(StringComparer.Ordinal) { Streams.ForUser(userId), Streams.Broadcast }, out var resume, out var error))
        {
            return Refuse(services, TelemetryNames.RejectionReasons.ResumePosition, StatusCodes.Status400BadRequest, "Invalid resume position", error!);
        }

        if (services.Drainer.IsDraining || services.Registry.ConnectionCount >= services.Limits.Value.MaxConnectionsPerReplica)
        {
            var draining = services.Drainer.IsDraining;
            ConnectionsLog.RefusedUnavailable(services.Logger, draining ? "draining" : "at capacity");
            context.Response.Headers.RetryAfter = "1";
            return Refuse(services, draining ? TelemetryNames.RejectionReasons.Draining : TelemetryNames.RejectionReasons.Capacity,
                StatusCodes.Status503ServiceUnavailable, draining ? "Replica draining" : "Replica at capacity",
                "This replica cannot take the connection; connect again and the load balancer picks another.");
        }

        var connectionId = Guid.CreateVersion7().ToString("N");
        try
        {
            if (!await services.Leases.TryAcquireAsync(userId, connectionId))
            {
                ConnectionsLog.UserLimitReached(services.Logger, userId);
                context.Response.Headers.RetryAfter = "5";
                return Refuse(services, TelemetryNames.RejectionReasons.UserLimit, StatusCodes.Status429TooManyRequests, "Too many connections",
                    $"This user already holds {services.Limits.Value.ConnectionsPerUser} connections; close one first.");
            }

            // Subscribed before the upgrade: a client that has its welcome receives everything published after it.
            await services.Backplane.AcquireUserAsync(userId, context.RequestAborted);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException && !context.RequestAborted.IsCancellationRequested)
        {
            await ReleaseLeaseAsync(services, userId, connectionId);
            ConnectionsLog.BackplaneUnavailable(services.Logger, exception, userId);
            context.Response.Headers.RetryAfter = "2";
            return Refuse(services, TelemetryNames.RejectionReasons.Backplane, StatusCodes.Status503ServiceUnavailable, "Backplane unavailable",
                "This replica cannot reach Redis; retry shortly.");
        }

        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.KeepAliveInterval,
                KeepAliveTimeout = settings.KeepAliveTimeout,
            });
            await RunConnectionAsync(socket, connectionId, userId, expiresAt, resume, services, context.RequestAborted);
        }
        finally
        {
            await services.Backplane.ReleaseUserAsync(userId);
            await ReleaseLeaseAsync(services, userId, connectionId);
        }

        return TypedResults.Empty;
    }

    private static async Task RunConnectionAsync(WebSocket socket, string connectionId, string userId, DateTimeOffset expiresAt,
        ResumeRequest? resume, ConnectionServices services, CancellationToken aborted)
    {
        var settings = services.Options.Value;
        var connection = new NotificationConnection(connectionId, userId, expiresAt, socket,
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

            var limits = services.Limits.Value;
            await new ConnectionReceiveLoop(socket, connection, settings.MaxInboundMessageBytes,
                new InboundRate(limits.InboundMessagesPerSecond, limits.InboundMessageBurst), services.Metrics, services.Logger).RunAsync(aborted);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
            // The peer vanished or stopped answering pings: nothing to answer, only to clean up.
        }
        finally
        {
            connection.Dispose();
            services.Registry.Remove(connection);
            var duration = System.Diagnostics.Stopwatch.GetElapsedTime(connection.OpenedTimestamp);
            services.Metrics.ConnectionClosed(duration);
            ConnectionsLog.Closed(services.Logger, connection.Id, userId, duration.TotalSeconds, connection.CloseStatus);
        }
    }

    /// <summary>A lease that cannot be released (Redis down) runs out by itself.</summary>
    private static async Task ReleaseLeaseAsync(ConnectionServices services, string userId, string connectionId)
    {
        try
        {
            await services.Leases.ReleaseAsync(userId, connectionId);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            ConnectionsLog.LeaseReleaseFailed(services.Logger, exception, userId);
        }
    }

    private static ProblemHttpResult Refuse(ConnectionServices services, string reason, int status, string title, string detail)
    {
        services.Metrics.ConnectionRejected(reason);
        return TypedResults.Problem(statusCode: status, title: title, detail: detail);
    }
}

/// <summary>What the WebSocket endpoint needs, resolved once per request.</summary>
internal sealed record ConnectionServices(
    IOptions<ConnectionOptions> Options,
    ConnectionRegistry Registry,
    RedisBackplane Backplane,
    ConnectionStarter Starter,
    ConnectionDrainer Drainer,
    WebSocketAuthenticator Authenticator,
    UserConnectionLeases Leases,
    IOptions<LimitsOptions> Limits,
    NotificationsMetrics Metrics,
    NodeIdentity Node,
    ILogger<ConnectionRegistry> Logger);
