namespace Notifications.Api.Connections;

/// <summary>The two ways a client connects; both are admitted, run and closed alike.</summary>
public enum TransportKind
{
    /// <summary><c>GET /ws</c>, upgraded to a WebSocket.</summary>
    WebSocket,

    /// <summary><c>GET /sse</c>, a <c>text/event-stream</c> response (the fallback where WebSockets do not get through).</summary>
    ServerSentEvents,
}
