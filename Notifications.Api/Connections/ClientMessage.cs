using System.Text.Json;

namespace Notifications.Api.Connections;

public enum ClientMessageKind
{
    Ping,
    /// <summary>A JSON object with a type this server does not know: ignored, for forward compatibility.</summary>
    Unknown,
    /// <summary>Not a JSON object with a string <c>type</c>: the connection is closed with 1007.</summary>
    Invalid,
}

/// <summary>A client-to-server text frame. <see cref="PingT"/> is the raw JSON of the ping's <c>t</c>, to echo.</summary>
public readonly record struct ClientMessage(ClientMessageKind Kind, ReadOnlyMemory<byte> PingT)
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
}
