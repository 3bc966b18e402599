using System.Text.Json;

namespace Notifications.Api.Connections;

public enum ClientMessageKind
{
    Ping,
    Subscribe,
    Unsubscribe,
    /// <summary>A JSON object with a type this server does not know: ignored, for forward compatibility.</summary>
    Unknown,
    /// <summary>Not a JSON object with a string <c>type</c>: the connection is closed with 1007.</summary>
    Invalid,
}

/// <summary>
/// What a <c>subscribe</c> or <c>unsubscribe</c> asks for. <see cref="Problem"/> says what is malformed (a <c>topic</c>
/// that is not a string, a <c>since</c> that is not a non-negative integer, an <c>epoch</c> that is not a string): the
/// frame is answered with an error, not a close, as it is valid JSON of a known type.
/// </summary>
public sealed record TopicRequest(string? Topic, long? Since, string? Epoch, string? Problem);

/// <summary>
/// A client-to-server text frame. <see cref="PingT"/> is the raw JSON of the ping's <c>t</c>, to echo;
/// <see cref="Topic"/> what a subscribe or unsubscribe asks for.
/// </summary>
public readonly record struct ClientMessage(ClientMessageKind Kind, ReadOnlyMemory<byte> PingT, TopicRequest? Topic = null)
{
    private static readonly byte[] TypeName = System.Text.Encoding.UTF8.GetBytes(FrameFields.Type);
    private static readonly byte[] TName = System.Text.Encoding.UTF8.GetBytes(FrameFields.T);

    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new(ClientMessageKind.Invalid, default);
            }

            var (type, t) = ReadTypeAndT(ref reader, utf8);
            // Reading to the end proves the whole frame is well-formed JSON, so the echoed t is too.
            while (reader.Read())
            {
            }

            return type switch
            {
                null => new(ClientMessageKind.Invalid, default),
                FrameTypes.Ping => new(ClientMessageKind.Ping, t),
                FrameTypes.Subscribe => new(ClientMessageKind.Subscribe, default, ReadTopicRequest(utf8)),
                FrameTypes.Unsubscribe => new(ClientMessageKind.Unsubscribe, default, ReadTopicRequest(utf8)),
                _ => new(ClientMessageKind.Unknown, default),
            };
        }
        catch (JsonException)
        {
            return new(ClientMessageKind.Invalid, default);
        }
    }

    /// <summary>The top-level <c>type</c> (when a string) and the raw bytes of <c>t</c>; every other property is skipped.</summary>
    private static (string? Type, ReadOnlyMemory<byte> T) ReadTypeAndT(ref Utf8JsonReader reader, ReadOnlyMemory<byte> utf8)
    {
        string? type = null;
        ReadOnlyMemory<byte> t = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals(TypeName);
            var isT = reader.ValueTextEquals(TName);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (isType && reader.TokenType == JsonTokenType.String)
            {
                type = reader.GetString();
            }

            reader.Skip();
            if (isT)
            {
                t = utf8[start..(int)reader.BytesConsumed];
            }
        }

        return (type, t);
    }

    /// <summary>Reads a frame already proven to be a well-formed object: only topic frames, which are rare, pay for the DOM.</summary>
    private static TopicRequest ReadTopicRequest(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        var frame = document.RootElement;
        string? topic = null, epoch = null, problem = null;
        long? since = null;
        if (frame.TryGetProperty(FrameFields.Topic, out var topicValue))
        {
            topic = topicValue.ValueKind == JsonValueKind.String ? topicValue.GetString() : null;
        }

        if (frame.TryGetProperty(FrameFields.Since, out var sinceValue))
        {
            since = sinceValue.ValueKind == JsonValueKind.Number && sinceValue.TryGetInt64(out var seq) && seq >= 0 ? seq : null;
            problem = since is null ? "\"since\" must be a non-negative integer." : null;
        }

        if (frame.TryGetProperty(FrameFields.Epoch, out var epochValue))
        {
            epoch = epochValue.ValueKind == JsonValueKind.String ? epochValue.GetString() : null;
            problem ??= epoch is null ? "\"epoch\" must be a string." : null;
        }

        return new TopicRequest(topic, since, epoch, problem);
    }
}
