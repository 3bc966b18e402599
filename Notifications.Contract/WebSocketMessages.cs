using System.Buffers;
using System.Net.WebSockets;

namespace Notifications.Contract;

public static class WebSocketMessages
{
    /// <summary>
    /// Reads one whole message (all its fragments) into <paramref name="buffer"/>, which is cleared first; returns false
    /// when the peer's close frame arrived instead.
    /// </summary>
    public static async Task<bool> ReceiveAsync(WebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.ResetWrittenCount();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), cancellationToken);
            buffer.Advance(result.Count);
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        return result.MessageType != WebSocketMessageType.Close;
    }
}
