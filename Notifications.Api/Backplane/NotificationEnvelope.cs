using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifications.Api.Backplane;

/// <summary>
/// What travels between replicas on a Redis channel: the message, when it was accepted and the publisher's
/// W3C trace context, so the delivery joins the publisher's trace.
/// </summary>
public sealed record NotificationEnvelope(
    string Id,
    string Stream,
    JsonElement Data,
    DateTimeOffset SentAt,
    [property: JsonPropertyName("traceparent")] string? TraceParent)
{
    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, BackplaneJsonContext.Default.NotificationEnvelope);

    /// <summary>Reads an envelope; anything malformed or incomplete yields <see langword="false"/>, never an exception.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out NotificationEnvelope envelope)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize(utf8, BackplaneJsonContext.Default.NotificationEnvelope);
            if (parsed is { Id.Length: > 0, Stream.Length: > 0 } && parsed.Data.ValueKind != JsonValueKind.Undefined)
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

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NotificationEnvelope))]
internal sealed partial class BackplaneJsonContext : JsonSerializerContext;
