using Notifications.Api.Telemetry;

namespace Notifications.Api.Publishing;

/// <summary>
/// What a batch publish answers without refusing the request: some of its streams could not be stored or confirmed.
/// Throttled (<see cref="LogThrottle"/>): during an outage of one shard every batch touching it would log.
/// </summary>
public sealed partial class PublishingLog(ILogger<PublishingLog> logger, LogThrottle throttle)
{
    private const string ThrottleKey = "publish_batch_backplane";

    public void BatchStreamsFailed(int failedStreams, int streams, int failedMessages, Exception failure)
    {
        if (throttle.TryEnter(ThrottleKey, out var suppressed))
        {
            StreamsFailed(logger, failedStreams, streams, failedMessages, suppressed, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A batch publish could not store or confirm {FailedStreams} of its {Streams} streams; their {FailedMessages} messages " +
            "were answered backplane_unavailable ({Suppressed} more like it since the last line)")]
    private static partial void StreamsFailed(ILogger logger, int failedStreams, int streams, int failedMessages, long suppressed, Exception failure);
}
