namespace Notifications.Contract;

/// <summary>The <c>type</c> of every frame (docs/protocol.md, "Server → client frames" and "Client → server frames").</summary>
public static class FrameTypes
{
    public const string Welcome = "welcome";
    public const string Notification = "notification";
    public const string Batch = "batch";
    public const string Resumed = "resumed";
    public const string Pong = "pong";
    public const string Ping = "ping";

    /// <summary>Client → server: start receiving a topic (v1.1).</summary>
    public const string Subscribe = "subscribe";

    /// <summary>Client → server: stop receiving a topic (v1.1).</summary>
    public const string Unsubscribe = "unsubscribe";

    public const string Subscribed = "subscribed";
    public const string Unsubscribed = "unsubscribed";

    /// <summary>A request of the client failed; the connection stays open (v1.1).</summary>
    public const string Error = "error";

    /// <summary>
    /// Server-Sent Events only: the last event of a stream the server ends, where a WebSocket gets a close frame
    /// (<c>{"type":"close","code":4000,"reason":"…"}</c>).
    /// </summary>
    public const string Close = "close";

    /// <summary>What the server sends; a client ignores any other type (forward compatibility).</summary>
    public static readonly IReadOnlyList<string> FromServer = [Welcome, Notification, Batch, Resumed, Pong, Subscribed, Unsubscribed, Error];
}
