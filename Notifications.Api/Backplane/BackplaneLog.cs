using StackExchange.Redis;
namespace Notifications.Api.Backplane;

internal static partial class BackplaneLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscribed to stream {Stream}")]
    public static partial void StreamSubscribed(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unsubscribed from stream {Stream}")]
    public static partial void StreamUnsubscribed(ILogger logger, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from stream {Stream}")]
    public static partial void UnsubscribeFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to the broadcast channel {Channel}")]
    public static partial void BroadcastSubscribed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to the broadcast channel failed; retrying in {Delay}")]
    public static partial void BroadcastSubscribeFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching a message of stream {Stream} failed")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catching up stream {Stream} after its subscription connection changed failed until giving up; the next change tries again")]
    public static partial void CatchUpFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(Level = LogLevel.Information, Message = "Filled a gap of {Count} messages in stream {Stream} from the history")]
    public static partial void GapFilled(ILogger logger, string stream, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {Stream} lost messages {FromSeq} to {ToSeq} beyond the history; its clients must resume")]
    public static partial void GapLost(ILogger logger, string stream, long fromSeq, long toSeq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The history epoch of stream {Stream} changed from {OldEpoch} to {NewEpoch}; its clients must resume")]
    public static partial void EpochChanged(ILogger logger, string stream, string oldEpoch, string newEpoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "A subscription connection to Redis failed or came back ({FailureType}); catching up {Count} streams from the history")]
    public static partial void CatchingUp(ILogger logger, ConnectionFailureType failureType, int count);
}
