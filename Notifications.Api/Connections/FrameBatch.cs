using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Notifications.Api.Connections;

/// <summary>Joins queued notification frames into one <c>batch</c> frame in a pooled buffer, without re-serializing them.</summary>
internal static class FrameBatch
{
    private static readonly byte[] Prefix = Encoding.UTF8.GetBytes($$"""{"{{FrameFields.Type}}":"{{FrameTypes.Batch}}","{{FrameFields.Items}}":[""");

    private static ReadOnlySpan<byte> Suffix => "]}"u8;

    public static async ValueTask SendAsync(WebSocket socket, IReadOnlyList<OutboundFrame> frames)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Length(frames));
        try
        {
            var written = Write(buffer, frames);
            await socket.SendAsync(buffer.AsMemory(0, written), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The size of the batch frame of <paramref name="frames"/>.</summary>
    public static int Length(IReadOnlyList<OutboundFrame> frames)
    {
        var length = Prefix.Length + Suffix.Length + frames.Count - 1;
        foreach (var frame in frames)
        {
            length += frame.Payload.Length;
        }

        return length;
    }

    /// <summary>Writes the batch frame of <paramref name="frames"/> into <paramref name="buffer"/>; returns its length.</summary>
    public static int Write(Span<byte> buffer, IReadOnlyList<OutboundFrame> frames)
    {
        Prefix.CopyTo(buffer);
        var position = Prefix.Length;
        for (var i = 0; i < frames.Count; i++)
        {
            if (i > 0)
            {
                buffer[position++] = (byte)',';
            }

            frames[i].Payload.CopyTo(buffer[position..]);
            position += frames[i].Payload.Length;
        }

        Suffix.CopyTo(buffer[position..]);
        return position + Suffix.Length;
    }
}
