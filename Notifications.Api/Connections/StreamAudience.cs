namespace Notifications.Api.Connections;

public enum AudienceKind
{
    User,
    Broadcast,
    Topic,
}

/// <summary>
/// Who on this replica receives a stream: the connections of a user (<see cref="Key"/> is the user id), every
/// connection, or the subscribers of a topic (<see cref="Key"/> is the stream, as the registry indexes topics).
/// </summary>
public readonly record struct StreamAudience(AudienceKind Kind, string Key)
{
    public static StreamAudience Broadcast { get; } = new(AudienceKind.Broadcast, Streams.Broadcast);

    public static StreamAudience User(string userId) => new(AudienceKind.User, userId);

    public static StreamAudience Topic(string topic) => new(AudienceKind.Topic, Streams.ForTopic(topic));
}
