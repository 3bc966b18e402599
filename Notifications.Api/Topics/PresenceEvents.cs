using System.Diagnostics;
using System.Text.Json;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using Notifications.Api.Publishing;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Topics;

/// <summary>
/// Publishes a topic's joins and leaves into the topic's stream, as ordinary sequenced notifications with <c>data</c>
/// <c>{"presence":"join"|"leave","userId":…,"connectionId":…}</c>, while a publisher has switched them on for the topic
/// (a flag in Redis, so every replica follows it). Off the connection's path: a join or leave that Redis does not take
/// is counted and logged (throttled), never retried, and never holds up the subscribe it follows.
/// </summary>
public sealed class PresenceEvents(IConnectionMultiplexer redis, BackplaneKeys keys, NotificationPublisher publisher, NotificationsMetrics metrics,
    LogThrottle throttle, ILogger<PresenceEvents> logger)
{
    public const string Join = "join";
    public const string Leave = "leave";

    /// <summary>A flag of "1" or "0" rather than a key that comes and goes: GET and SET are all the ACL must allow.</summary>
    public Task SetEnabledAsync(string topic, bool enabled) => redis.GetDatabase().StringSetAsync(keys.PresenceEvents(topic), enabled ? 1 : 0);

    public async Task<bool> IsEnabledAsync(string topic) => await redis.GetDatabase().StringGetAsync(keys.PresenceEvents(topic)) == 1;

    public void Joined(string topic, NotificationConnection connection) => _ = PublishAsync(topic, Join, connection.UserId, connection.Id);

    public void Left(string topic, NotificationConnection connection) => _ = PublishAsync(topic, Leave, connection.UserId, connection.Id);

    internal static JsonElement Data(string @event, string userId, string connectionId) =>
        JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["presence"] = @event,
            [FrameFields.UserId] = userId,
            [FrameFields.ConnectionId] = connectionId,
        });

    private async Task PublishAsync(string topic, string @event, string userId, string connectionId)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (await IsEnabledAsync(topic))
            {
                await publisher.PublishToTopicAsync(topic, Data(@event, userId, connectionId), idempotencyKey: null);
                metrics.Housekept(TelemetryNames.Housekeeping.PresenceEvent, started, succeeded: true);
            }
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            metrics.Housekept(TelemetryNames.Housekeeping.PresenceEvent, started, succeeded: false);
            if (throttle.TryEnter(TelemetryNames.Housekeeping.PresenceEvent, out var suppressed))
            {
                TopicsLog.PresenceEventFailed(logger, exception, @event, topic, suppressed);
            }
        }
    }
}
