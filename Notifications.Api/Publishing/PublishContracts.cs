using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifications.Api.Publishing;

/// <summary>The body of a publish call: <c>data</c> is any JSON value and reaches clients unchanged.</summary>
public sealed record PublishRequest(JsonElement Data);

/// <summary>Where the accepted message is: its id, its stream and its seq in that stream.</summary>
public sealed record PublishResponse(string Id, string Stream, long Seq);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PublishRequest))]
internal sealed partial class PublishingJsonContext : JsonSerializerContext;
