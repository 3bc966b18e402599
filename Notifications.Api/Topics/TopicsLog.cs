namespace Notifications.Api.Topics;

internal static partial class TopicsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Connection {ConnectionId} was answered {Code} to its {Operation} of topic {Topic} ({Suppressed} more like it since the last line)")]
    public static partial void Refused(ILogger logger, string connectionId, string operation, string code, string? topic, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscribe of connection {ConnectionId} to topic {Topic} failed: Redis did not answer ({Suppressed} more like it since the last line)")]
    public static partial void SubscribeFailed(ILogger logger, Exception exception, string connectionId, string topic, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This replica could not report topic presence; its counts drop out after the entry lifetime until Redis answers")]
    public static partial void PresenceReportFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A presence {Event} of topic {Topic} could not be published ({Suppressed} more like it since the last line)")]
    public static partial void PresenceEventFailed(ILogger logger, Exception exception, string @event, string topic, long suppressed);
}
