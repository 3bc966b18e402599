namespace Notifications.Contract;

/// <summary>The Server-Sent Events side of the contract: <c>GET /sse</c> (docs/protocol.md, "Server-Sent Events").</summary>
public static class EventStreams
{
    public const string ContentType = "text/event-stream";

    /// <summary>The header a reconnecting client sends with the <c>id</c> of the last event it received: it replaces <c>since</c> and <c>epoch</c>.</summary>
    public const string LastEventIdHeader = "Last-Event-ID";
}
