namespace Notifications.Api.Backplane;

/// <summary>
/// Every message belongs to one stream: <c>user:{userId}</c> or <c>broadcast</c>. The Redis channel of a stream
/// is the configured prefix followed by the stream name.
/// </summary>
public static class Streams
{
    public const string Broadcast = "broadcast";
    public const string UserPrefix = "user:";

    public static string ForUser(string userId) => UserPrefix + userId;

    public static bool IsStreamOfUser(string stream, string userId) =>
        stream.Length == UserPrefix.Length + userId.Length
        && stream.StartsWith(UserPrefix, StringComparison.Ordinal)
        && stream.AsSpan(UserPrefix.Length).SequenceEqual(userId);
}
