namespace Notifications.Contract;

/// <summary>Every message belongs to one stream: <c>user:{userId}</c> or <c>broadcast</c>.</summary>
public static class Streams
{
    public const string Broadcast = "broadcast";
    public const string UserPrefix = "user:";

    public static string ForUser(string userId) => UserPrefix + userId;
}
