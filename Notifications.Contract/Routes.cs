namespace Notifications.Contract;

/// <summary>The HTTP routes of the API.</summary>
public static class Routes
{
    public const string WebSocket = "/ws";

    /// <summary>The Server-Sent Events fallback: the same frames as <see cref="WebSocket"/>, as a <c>text/event-stream</c>.</summary>
    public const string ServerSentEvents = "/sse";
    public const string Notifications = "/api/notifications";
    public const string PublishToUserTemplate = "/users/{userId}";
    public const string BroadcastPath = "/broadcast";
    public const string BatchPath = "/batch";
    public const string PublishToTopicTemplate = "/topics/{topic}";
    public const string Topics = "/api/topics";
    public const string TopicPresenceTemplate = "/{topic}/presence";
    public const string TopicPresenceEventsTemplate = "/{topic}/presence-events";
    public const string Cluster = "/api/cluster";
    public const string DevToken = "/auth/dev-token";

    /// <summary>The idempotency header of a publish: a retry with the same key returns the first publish.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static string PublishToUser(string userId) => $"{Notifications}/users/{Uri.EscapeDataString(userId)}";

    public static string PublishToTopic(string topic) => $"{Notifications}/topics/{Uri.EscapeDataString(topic)}";

    public static string TopicPresence(string topic) => $"{Topics}/{Uri.EscapeDataString(topic)}/presence";

    public static string TopicPresenceEvents(string topic) => $"{Topics}/{Uri.EscapeDataString(topic)}/presence-events";

    public static string Broadcast => Notifications + BroadcastPath;

    public static string PublishBatch => Notifications + BatchPath;
}
