using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Notifications.Api.Handshake;

/// <summary>
/// Accepting a taken-over upgrade: the head is consumed, the 101 written to the transport, and the WebSocket runs on
/// the transport itself, with the options ASP.NET Core's WebSocket middleware would give it.
/// </summary>
internal sealed class TransportWebSocketFeature(ConnectionContext connection, UpgradeHead head, TimeProvider time, bool serverHeader)
    : IHttpWebSocketFeature
{
    public bool IsWebSocketRequest => true;

    public async Task<WebSocket> AcceptAsync(WebSocketAcceptContext context)
    {
        var input = connection.Transport.Input;
        // The peek left the head unread: this read returns it at once, with whatever the client sent after it.
        var read = await input.ReadAsync();
        input.AdvanceTo(read.Buffer.GetPosition(head.Length));
        await connection.Transport.Output.WriteAsync(SwitchingProtocols.Response(head.Headers.SecWebSocketKey.ToString(), time.GetUtcNow(),
            serverHeader));
        return WebSocket.CreateFromStream(new TransportStream(connection.Transport), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = context.KeepAliveInterval ?? WebSocket.DefaultKeepAliveInterval,
            KeepAliveTimeout = context.KeepAliveTimeout ?? Timeout.InfiniteTimeSpan,
        });
    }
}
