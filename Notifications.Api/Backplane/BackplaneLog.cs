namespace Notifications.Api.Backplane;

internal static partial class BackplaneLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Subscribed to the stream of user {UserId}")]
    public static partial void UserSubscribed(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unsubscribed from the stream of user {UserId}")]
    public static partial void UserUnsubscribed(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from the stream of user {UserId}")]
    public static partial void UnsubscribeFailed(ILogger logger, Exception exception, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed to the broadcast channel {Channel}")]
    public static partial void BroadcastSubscribed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to the broadcast channel failed; retrying in {Delay}")]
    public static partial void BroadcastSubscribeFailed(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching a message from channel {Channel} failed")]
    public static partial void DispatchFailed(ILogger logger, Exception exception, string channel);
}
