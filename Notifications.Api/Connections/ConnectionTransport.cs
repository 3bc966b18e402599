using System.Net.WebSockets;

namespace Notifications.Api.Connections;

/// <summary>
/// How a connection's frames reach its client: a WebSocket (<see cref="WebSocketTransport"/>) or a Server-Sent Events
/// response (<see cref="ServerSentEvents.ServerSentEventsTransport"/>). The queue, the states, the slow-consumer rule,
/// the drain and the close deadline stay in <see cref="NotificationConnection"/>, one implementation for both; a
/// transport only writes what the connection's single writer hands it, one call at a time, and sends the close or
/// cuts the client off when told to.
/// </summary>
public abstract class ConnectionTransport : IDisposable
{
    /// <summary>The <c>transport</c> tag of the connection metrics (<see cref="Telemetry.TelemetryNames.Transports"/>).</summary>
    public abstract string Name { get; }

    /// <summary>Whether the close can still be sent: the client has not gone away, nor finished a close of its own.</summary>
    public abstract bool CanSendClose { get; }

    /// <summary>Whether the connection is over on the client's side too, so the close deadline has nothing left to cut off.</summary>
    public abstract bool HasEnded { get; }

    /// <summary>Writes one frame, or several live notifications (in queue order) as one <c>batch</c> frame.</summary>
    internal abstract ValueTask WriteAsync(IReadOnlyList<OutboundFrame> frames);

    /// <summary>Sends the close: the WebSocket close frame, or the <c>close</c> event that ends an event stream.</summary>
    public abstract Task SendCloseAsync(WebSocketCloseStatus status, string? reason);

    /// <summary>Cuts the client off without a close.</summary>
    public abstract void Abort();

    /// <summary>Releases what the transport holds, once the connection has ended.</summary>
    public abstract void Dispose();
}
