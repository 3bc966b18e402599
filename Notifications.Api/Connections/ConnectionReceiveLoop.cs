using System.Buffers;
using System.Net.WebSockets;

namespace Notifications.Api.Connections;

/// <summary>
/// Reads what a client sends until the socket closes. Each wait for data is a zero-byte read, so an idle
/// connection holds no receive buffer; one is rented only while a message is being read.
/// </summary>
internal sealed class ConnectionReceiveLoop(WebSocket socket, NotificationConnection connection, int maxMessageBytes, ILogger logger)
{
    public async Task RunAsync(CancellationToken aborted)
    {
        while (true)
        {
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, aborted);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync();
                return;
            }

            if (connection.CloseStatus is not null)
            {
                // Closing: read and discard until the client's close frame arrives or the close timeout aborts us.
                await DiscardMessageAsync(first, aborted);
                continue;
            }

            if (first.MessageType == WebSocketMessageType.Binary)
            {
                ConnectionsLog.ClientFrameRejected(logger, connection.Id, "binary frame");
                _ = connection.CloseAsync(CloseCodes.UnsupportedData, "binary frames are not supported");
                continue;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(maxMessageBytes + 1);
            try
            {
                var length = await ReadMessageAsync(buffer, aborted);
                if (length < 0)
                {
                    return;
                }

                if (length > maxMessageBytes)
                {
                    ConnectionsLog.ClientFrameRejected(logger, connection.Id, "message too big");
                    _ = connection.CloseAsync(CloseCodes.MessageTooBig, $"messages are limited to {maxMessageBytes} bytes");
                    continue;
                }

                Handle(ClientMessage.Parse(buffer.AsMemory(0, length)));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads one whole message; returns its length, more than the limit if it is too big, or -1 on close.</summary>
    private async Task<int> ReadMessageAsync(byte[] buffer, CancellationToken aborted)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), aborted);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await AnswerCloseAsync();
                return -1;
            }

            length += result.Count;
            if (result.EndOfMessage || length >= buffer.Length)
            {
                return length;
            }
        }
    }

    private async Task DiscardMessageAsync(ValueWebSocketReceiveResult first, CancellationToken aborted)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            var result = first;
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close)
            {
                result = await socket.ReceiveAsync(scratch.AsMemory(), aborted);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void Handle(ClientMessage message)
    {
        switch (message.Kind)
        {
            case ClientMessageKind.Ping:
                connection.Send(Frames.Pong(message.PingT.Span));
                break;
            case ClientMessageKind.Invalid:
                ConnectionsLog.ClientFrameRejected(logger, connection.Id, "not a JSON object with a string type");
                _ = connection.CloseAsync(CloseCodes.InvalidPayload, "frames must be JSON objects with a string \"type\"");
                break;
            case ClientMessageKind.Unknown:
                break;
        }
    }

    private Task AnswerCloseAsync() =>
        socket.State == WebSocketState.CloseReceived ? connection.CloseAsync(CloseCodes.Normal, "") : Task.CompletedTask;
}
