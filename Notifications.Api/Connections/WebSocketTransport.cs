using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>A connection's frames as WebSocket text messages, its close as the close frame.</summary>
public sealed class WebSocketTransport(WebSocket socket) : ConnectionTransport
{
    public override string Name => TelemetryNames.Transports.WebSocket;

    public override bool CanSendClose => socket.State is WebSocketState.Open or WebSocketState.CloseReceived;

    public override bool HasEnded => socket.State is WebSocketState.Closed or WebSocketState.Aborted;

    internal override async ValueTask WriteAsync(IReadOnlyList<OutboundFrame> frames)
    {
        if (frames.Count > 1)
        {
            await FrameBatch.SendAsync(socket, frames);
        }
        else
        {
            await socket.SendAsync(frames[0].Payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
    }

    public override Task SendCloseAsync(WebSocketCloseStatus status, string? reason) => socket.CloseOutputAsync(status, reason, CancellationToken.None);

    public override void Abort() => socket.Abort();

    public override void Dispose() => socket.Dispose();
}
