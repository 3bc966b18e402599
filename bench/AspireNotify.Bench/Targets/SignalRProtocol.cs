using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Notifications.Contract;

namespace AspireNotify.Bench.Targets;

/// <summary>
/// SignalR's JSON hub protocol straight over a WebSocket to <c>/hub</c>, as a client with <c>skipNegotiation</c>
/// connects: a handshake, then records terminated by 0x1E. The server pings every 15 s and drops a client it has not
/// heard from in 30 s, so each ping is answered.
/// </summary>
public sealed class SignalRProtocol : WireProtocol
{
    private static readonly byte[] HandshakeRequest = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly byte[] PingType = "\"type\":6"u8.ToArray();

    public static SignalRProtocol Instance { get; } = new();

    public override Uri SocketUri(Uri server, string userId) => WebSocketUri(server, "/hub", userId);

    /// <summary>The server answers the handshake with <c>{}</c>, or with <c>{"error":…}</c>.</summary>
    public override async Task HandshakeAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync(HandshakeRequest, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var answer = new ArrayBufferWriter<byte>(256);
        if (!await WebSocketMessages.ReceiveAsync(socket, answer, cancellationToken) || !answer.WrittenSpan.StartsWith("{}"u8))
        {
            throw new WebSocketException($"SignalR handshake refused: {Encoding.UTF8.GetString(answer.WrittenSpan)}");
        }
    }

    public override ReadOnlyMemory<byte> Answer(ReadOnlySpan<byte> frame) => frame.IndexOf(PingType) >= 0 ? Ping : ReadOnlyMemory<byte>.Empty;
}
