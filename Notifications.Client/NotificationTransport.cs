namespace Notifications.Client;

/// <summary>How <see cref="NotificationClient"/> reaches the server (docs/protocol.md).</summary>
public enum NotificationTransport
{
    /// <summary><c>GET /ws</c>: a WebSocket, the default.</summary>
    WebSocket,

    /// <summary>
    /// <c>GET /sse</c>: Server-Sent Events over plain HTTP, for networks that do not let WebSockets through. The same
    /// frames, resume and de-duplication; no <c>ping</c> (<see cref="NotificationClient.PingAsync"/> needs a WebSocket).
    /// </summary>
    ServerSentEvents,
}
