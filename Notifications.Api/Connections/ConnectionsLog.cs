namespace Notifications.Api.Connections;

internal static partial class ConnectionsLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} of user {UserId} opened on {Node} ({Transport})")]
    public static partial void Opened(ILogger logger, string connectionId, string userId, string node, string transport);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection {ConnectionId} of user {UserId} closed after {DurationSeconds:0.0} s ({Reason})")]
    public static partial void Closed(ILogger logger, string connectionId, string userId, double durationSeconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing connection {ConnectionId}: {Problem} ({Suppressed} more like it since the last line)")]
    public static partial void ClientFrameRejected(ILogger logger, string connectionId, string problem, long suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} broke the WebSocket protocol and was closed: {Problem} ({Suppressed} more like it since the last line)")]
    public static partial void ProtocolViolation(ILogger logger, string connectionId, string problem, long suppressed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} stopped answering pings and was aborted ({Suppressed} more like it since the last line)")]
    public static partial void KeepAliveTimedOut(ILogger logger, string connectionId, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a backplane message for stream {Stream} that arrived on the channel of {Channel}")]
    public static partial void EnvelopeRejected(ILogger logger, string stream, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped an unreadable backplane message of {Length} bytes")]
    public static partial void EnvelopeUnreadable(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: closing {Count} connections with 1012 (service restart) over {Window}")]
    public static partial void ClosingForShutdown(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId} with 1013: Redis did not answer while it started ({Suppressed} more like it since the last line)")]
    public static partial void StartFailed(ILogger logger, Exception exception, string connectionId, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the connection lease of user {UserId}; it runs out by itself")]
    public static partial void LeaseReleaseFailed(ILogger logger, Exception exception, string userId);
}
