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
}
