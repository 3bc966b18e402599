namespace Notifications.Api.Connections;

internal static partial class ConnectionsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} of user {UserId} opened on {Node}")]
    public static partial void Opened(ILogger logger, string connectionId, string userId, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} of user {UserId} closed after {DurationSeconds:0.0} s (server close code: {CloseStatus})")]
    public static partial void Closed(ILogger logger, string connectionId, string userId, double durationSeconds, System.Net.WebSockets.WebSocketCloseStatus? closeStatus);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WebSocket upgrade from origin {Origin}: not in the allow-list")]
    public static partial void OriginRefused(ILogger logger, string origin);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WebSocket upgrade for user {UserId}: the backplane is unavailable")]
    public static partial void BackplaneUnavailable(ILogger logger, Exception exception, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId}: {Problem}")]
    public static partial void ClientFrameRejected(ILogger logger, string connectionId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection {ConnectionId} broke the WebSocket protocol and was closed: {Problem}")]
    public static partial void ProtocolViolation(ILogger logger, string connectionId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a backplane message for stream {Stream} that arrived on the channel of {Channel}")]
    public static partial void EnvelopeRejected(ILogger logger, string stream, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped an unreadable backplane message of {Length} bytes")]
    public static partial void EnvelopeUnreadable(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: closing {Count} connections with 1012 (service restart) over {Window}")]
    public static partial void ClosingForShutdown(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} of user {UserId}: Redis did not answer while it started")]
    public static partial void StartFailed(ILogger logger, Exception exception, string connectionId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a WebSocket upgrade: the replica is {Condition}")]
    public static partial void RefusedUnavailable(ILogger logger, string condition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a WebSocket upgrade for user {UserId}: the user holds the maximum number of connections")]
    public static partial void UserLimitReached(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the connection lease of user {UserId}; it runs out by itself")]
    public static partial void LeaseReleaseFailed(ILogger logger, Exception exception, string userId);
}
