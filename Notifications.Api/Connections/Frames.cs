using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Notifications.Api.Backplane;

namespace Notifications.Api.Connections;

/// <summary>Encodes the server-to-client frames of the contract (<see cref="FrameTypes"/>, <see cref="FrameFields"/>) as UTF-8 JSON.</summary>
public static class Frames
{
    // Frames are read by JSON parsers, never embedded in HTML, so only what JSON itself requires is escaped.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly byte[] EmptyPong = Encoding.UTF8.GetBytes($$"""{"{{FrameFields.Type}}":"{{FrameTypes.Pong}}"}""");
    private static readonly byte[] PongPrefix = Encoding.UTF8.GetBytes($$"""{"{{FrameFields.Type}}":"{{FrameTypes.Pong}}","{{FrameFields.T}}":""");

    public static byte[] Welcome(string connectionId, string userId, string node, int heartbeatSeconds,
        string epoch, IReadOnlyDictionary<string, long> positions) => Write(writer =>
    {
        writer.WriteString(FrameFields.Type, FrameTypes.Welcome);
        writer.WriteString(FrameFields.ConnectionId, connectionId);
        writer.WriteString(FrameFields.UserId, userId);
        writer.WriteString(FrameFields.Node, node);
        writer.WriteNumber(FrameFields.HeartbeatSeconds, heartbeatSeconds);
        writer.WriteString(FrameFields.Epoch, epoch);
        writer.WriteStartObject(FrameFields.Positions);
        foreach (var (stream, seq) in positions)
        {
            writer.WriteNumber(stream, seq);
        }

        writer.WriteEndObject();
    });

    /// <summary>Built once per message per replica and shared by every recipient connection.</summary>
    public static byte[] Notification(NotificationEnvelope envelope) => Write(writer => WriteNotification(writer, envelope));

    /// <summary>Notifications of a replay in one frame, marked as a replay.</summary>
    public static byte[] Batch(IEnumerable<NotificationEnvelope> envelopes) => Write(writer =>
    {
        writer.WriteString(FrameFields.Type, FrameTypes.Batch);
        writer.WriteBoolean(FrameFields.Replay, true);
        writer.WriteStartArray(FrameFields.Items);
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
        writer.WriteString(FrameFields.Type, FrameTypes.Resumed);
        writer.WriteBoolean(FrameFields.Recovered, outcome.Recovered);
        writer.WriteNumber(FrameFields.Missed, outcome.Missed);
        if (!outcome.Recovered)
        {
            writer.WriteString(FrameFields.Reason, outcome.Reason);
            writer.WriteStartArray(FrameFields.Streams);
            foreach (var stream in outcome.UnrecoveredStreams)
            {
                writer.WriteStringValue(stream);
            }

            writer.WriteEndArray();
        }
    });

    /// <summary>The answer to a <c>subscribe</c>; with <paramref name="replayed"/>, the outcome of its <c>since</c>.</summary>
    public static byte[] Subscribed(string topic, string stream, StreamHead head, StreamReplayed? replayed) => Write(writer =>
    {
        writer.WriteString(FrameFields.Type, FrameTypes.Subscribed);
        writer.WriteString(FrameFields.Topic, topic);
        writer.WriteString(FrameFields.Stream, stream);
        writer.WriteString(FrameFields.Epoch, head.Epoch);
        writer.WriteNumber(FrameFields.Position, head.Seq);
        if (replayed is { } outcome)
        {
            writer.WriteBoolean(FrameFields.Recovered, outcome.Recovered);
            writer.WriteNumber(FrameFields.Missed, outcome.Missed);
            if (!outcome.Recovered)
            {
                writer.WriteString(FrameFields.Reason, outcome.Reason);
            }
        }
    });

    public static byte[] Unsubscribed(string topic) => Write(writer =>
    {
        writer.WriteString(FrameFields.Type, FrameTypes.Unsubscribed);
        writer.WriteString(FrameFields.Topic, topic);
    });

    /// <summary>A failed request (<see cref="ErrorCodes"/>); <paramref name="topic"/> is left out when the frame named none.</summary>
    public static byte[] Error(string code, string? topic, string detail) => Write(writer =>
    {
        writer.WriteString(FrameFields.Type, FrameTypes.Error);
        writer.WriteString(FrameFields.Code, code);
        if (topic is not null)
        {
            writer.WriteString(FrameFields.Topic, topic);
        }

        writer.WriteString(FrameFields.Detail, detail);
    });

    /// <summary>Echoes the client's <c>t</c> value byte for byte (it was validated as JSON when the ping was read).</summary>
    public static byte[] Pong(ReadOnlySpan<byte> rawT)
    {
        if (rawT.IsEmpty)
        {
            return EmptyPong;
        }

        var frame = new byte[PongPrefix.Length + rawT.Length + 1];
        PongPrefix.CopyTo(frame, 0);
        rawT.CopyTo(frame.AsSpan(PongPrefix.Length));
        frame[^1] = (byte)'}';
        return frame;
    }

    private static void WriteNotification(Utf8JsonWriter writer, NotificationEnvelope envelope)
    {
        writer.WriteString(FrameFields.Type, FrameTypes.Notification);
        writer.WriteString(FrameFields.Id, envelope.Id);
        writer.WriteString(FrameFields.Stream, envelope.Stream);
        writer.WriteNumber(FrameFields.Seq, envelope.Seq);
        writer.WritePropertyName(FrameFields.Data);
        envelope.Data.WriteTo(writer);
        writer.WriteString(FrameFields.SentAt, envelope.SentAt);
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
