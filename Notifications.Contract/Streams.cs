using System.Diagnostics.CodeAnalysis;

namespace Notifications.Contract;

/// <summary>Every message belongs to one stream: <c>user:{userId}</c>, <c>broadcast</c> or <c>topic:{name}</c>.</summary>
public static class Streams
{
    public const string Broadcast = "broadcast";
    public const string UserPrefix = "user:";
    public const string TopicPrefix = "topic:";

    public static string ForUser(string userId) => UserPrefix + userId;

    public static string ForTopic(string topic) => TopicPrefix + topic;

    /// <summary>The topic of a <c>topic:{name}</c> stream.</summary>
    public static bool TryGetTopic(string stream, [NotNullWhen(true)] out string? topic)
    {
        topic = stream.StartsWith(TopicPrefix, StringComparison.Ordinal) ? stream[TopicPrefix.Length..] : null;
        return topic is not null;
    }
}
