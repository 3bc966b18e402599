using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifications.Api.Backplane;

/// <summary>
/// A message as Redis stores it in the history and carries it between replicas: its place in its stream (seq and
/// history epoch, assigned by the publish script), when it was accepted, the publisher's W3C trace context, and the data.
/// </summary>
public sealed record NotificationEnvelope(
    long Seq,
    string Epoch,
    [property: JsonConverter(typeof(UnixMillisecondsConverter))] DateTimeOffset SentAt,
    string Id,
    string Stream,
    [property: JsonPropertyName("traceparent")] string? TraceParent,
    JsonElement Data)
{
    /// <summary>
    /// Everything but seq and epoch, as the publish script expects it: the JSON object without its opening brace, with
    /// <c>sentAt</c> first so the script can read a message's age without parsing the data.
    /// </summary>
    public static byte[] Tail(DateTimeOffset sentAt, string id, string stream, string? traceParent, JsonElement data)
    {
        var fields = new EnvelopeFields(sentAt, id, stream, traceParent, data);
        var json = JsonSerializer.SerializeToUtf8Bytes(fields, BackplaneJsonContext.Default.EnvelopeFields);
        return json[1..];
    }

    /// <summary>Reads an envelope; anything malformed or incomplete yields <see langword="false"/>, never an exception.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out NotificationEnvelope envelope)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(utf8, BackplaneJsonContext.Default.NotificationEnvelope);
            if (parsed is { Seq: > 0, Epoch.Length: > 0, Id.Length: > 0, Stream.Length: > 0 }
                && parsed.Data.ValueKind != JsonValueKind.Undefined)
            {
                envelope = parsed;
                return true;
            }
        }
        catch (JsonException)
        {
        }

        envelope = null!;
        return false;
    }
}

internal sealed record EnvelopeFields(
    [property: JsonConverter(typeof(UnixMillisecondsConverter))] DateTimeOffset SentAt,
    string Id,
    string Stream,
    [property: JsonPropertyName("traceparent")] string? TraceParent,
    JsonElement Data);

/// <summary>Times inside Redis are Unix milliseconds, which the Lua script can compare.</summary>
internal sealed class UnixMillisecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds());
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NotificationEnvelope))]
[JsonSerializable(typeof(EnvelopeFields))]
internal sealed partial class BackplaneJsonContext : JsonSerializerContext;
