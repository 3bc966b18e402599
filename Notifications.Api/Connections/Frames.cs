using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>Encodes the server-to-client frames of docs/protocol.md as UTF-8 JSON.</summary>
public static class Frames
{
    // Frames are read by JSON parsers, never embedded in HTML, so only what JSON itself requires is escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Welcome(string connectionId, string userId, string node, int heartbeatSeconds,
        string epoch, IReadOnlyDictionary<string, long> positions) => Write(writer =>
    {
        writer.WriteString("type", "welcome");
        writer.WriteString("connectionId", connectionId);
        writer.WriteString("userId", userId);
        writer.WriteString("node", node);
        writer.WriteNumber("heartbeatSeconds", heartbeatSeconds);
        writer.WriteString("epoch", epoch);
        writer.WriteStartObject("positions");
        foreach (var (stream, seq) in positions)
        {
            writer.WriteNumber(stream, seq);
        }

        writer.WriteEndObject();
    });

    /// <summary>Built once per message per replica and shared by every recipient connection.</summary>
    public static byte[] Notification(NotificationEnvelope envelope) => Write(writer => WriteNotification(writer, envelope));

    /// <summary>Several notifications of a replay in one frame, marked as a replay.</summary>
    public static byte[] Batch(IEnumerable<NotificationEnvelope> envelopes) => Write(writer =>
    {
        writer.WriteString("type", "batch");
        writer.WriteBoolean("replay", true);
        writer.WriteStartArray("items");
        foreach (var envelope in envelopes)
        {
            writer.WriteStartObject();
            WriteNotification(writer, envelope);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static byte[] Resumed(ResumeOutcome outcome) => Write(writer =>
    {
        writer.WriteString("type", "resumed");
        writer.WriteBoolean("recovered", outcome.Recovered);
        writer.WriteNumber("missed", outcome.Missed);
        if (!outcome.Recovered)
        {
            writer.WriteString("reason", outcome.Reason);
            writer.WriteStartArray("streams");
            foreach (var stream in outcome.UnrecoveredStreams)
            {
                writer.WriteStringValue(stream);
            }

            writer.WriteEndArray();
        }
    });

    /// <summary>Echoes the client's <c>t</c> value byte for byte (it was validated as JSON when the ping was read).</summary>
    public static byte[] Pong(ReadOnlySpan<byte> rawT)
    {
        ReadOnlySpan<byte> prefix = """{"type":"pong","t":"""u8;
        if (rawT.IsEmpty)
        {
            return """{"type":"pong"}"""u8.ToArray();
        }

        var frame = new byte[prefix.Length + rawT.Length + 1];
        prefix.CopyTo(frame);
        rawT.CopyTo(frame.AsSpan(prefix.Length));
        frame[^1] = (byte)'}';
        return frame;
    }

    private static void WriteNotification(Utf8JsonWriter writer, NotificationEnvelope envelope)
    {
        writer.WriteString("type", "notification");
        writer.WriteString("id", envelope.Id);
        writer.WriteString("stream", envelope.Stream);
        writer.WriteNumber("seq", envelope.Seq);
        writer.WritePropertyName("data");
        envelope.Data.WriteTo(writer);
        writer.WriteString("sentAt", envelope.SentAt);
    }

    private static byte[] Write(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
