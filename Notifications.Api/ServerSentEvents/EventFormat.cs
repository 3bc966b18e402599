using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Notifications.Api.ServerSentEvents;

/// <summary>
/// Writes the <c>text/event-stream</c> of a connection: each frame as one event (<c>event:</c> its type, <c>id:</c> a
/// cursor when given, <c>data:</c> the frame's one-line JSON), the <c>retry:</c> that opens it, heartbeat comments and the
/// <c>close</c> event that ends it. Frames are compact JSON, which escapes line breaks, so one <c>data:</c> line always holds one.
/// </summary>
public static class EventFormat
{
    public static readonly byte[] WelcomeType = Encoding.UTF8.GetBytes(FrameTypes.Welcome);
    public static readonly byte[] NotificationType = Encoding.UTF8.GetBytes(FrameTypes.Notification);
    public static readonly byte[] BatchType = Encoding.UTF8.GetBytes(FrameTypes.Batch);
    public static readonly byte[] ResumedType = Encoding.UTF8.GetBytes(FrameTypes.Resumed);
    public static readonly byte[] CloseType = Encoding.UTF8.GetBytes(FrameTypes.Close);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ReadOnlySpan<byte> EventField => "event: "u8;

    private static ReadOnlySpan<byte> IdField => "\nid: "u8;

    private static ReadOnlySpan<byte> DataField => "\ndata: "u8;

    private static ReadOnlySpan<byte> EndOfEvent => "\n\n"u8;

    /// <summary>A comment line: ignored by every client, it keeps proxies and the client's own timeouts from calling the stream idle.</summary>
    public static ReadOnlySpan<byte> Heartbeat => ":\n\n"u8;

    /// <summary>The <c>type</c> of a frame, as its raw UTF-8 (frame types need no escaping); empty when it has none.</summary>
    public static ReadOnlySpan<byte> TypeOf(ReadOnlySpan<byte> frame)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals(FrameFields.Type);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                return reader.ValueSpan;
            }

            reader.Skip();
        }

        return default;
    }

    /// <summary>How long a browser waits before it reconnects a stream that ended (its <c>EventSource</c> reads this).</summary>
    public static void WriteRetry(IBufferWriter<byte> writer, int milliseconds)
    {
        Write(writer, "retry: "u8);
        Utf8Formatter.TryFormat(milliseconds, writer.GetSpan(11), out var written);
        writer.Advance(written);
        Write(writer, EndOfEvent);
    }

    /// <summary>Starts an event: its <c>event:</c> line, its <c>id:</c> line when <paramref name="writeId"/> is given, and <c>data: </c>.</summary>
    public static void WriteStart(IBufferWriter<byte> writer, ReadOnlySpan<byte> type, Action<IBufferWriter<byte>>? writeId)
    {
        Write(writer, EventField);
        Write(writer, type);
        if (writeId is not null)
        {
            Write(writer, IdField);
            writeId(writer);
        }

        Write(writer, DataField);
    }

    /// <summary>Ends the event started by <see cref="WriteStart"/> after its data.</summary>
    public static void WriteEnd(IBufferWriter<byte> writer) => Write(writer, EndOfEvent);

    /// <summary>One whole event of <paramref name="frame"/>.</summary>
    public static void WriteEvent(IBufferWriter<byte> writer, ReadOnlySpan<byte> type, Action<IBufferWriter<byte>>? writeId, ReadOnlySpan<byte> frame)
    {
        WriteStart(writer, type, writeId);
        Write(writer, frame);
        WriteEnd(writer);
    }

    /// <summary>The <c>close</c> event: <c>{"type":"close","code":…,"reason":…}</c>, the stream's last.</summary>
    public static void WriteClose(IBufferWriter<byte> writer, int code, string? reason)
    {
        WriteStart(writer, CloseType, writeId: null);
        using (var json = new Utf8JsonWriter(writer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString(FrameFields.Type, FrameTypes.Close);
            json.WriteNumber(FrameFields.Code, code);
            json.WriteString(FrameFields.Reason, reason ?? "");
            json.WriteEndObject();
        }

        WriteEnd(writer);
    }

    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }
}
