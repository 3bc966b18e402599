using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifications.Api.Publishing;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishBatchRequest))]
internal sealed partial class PublishingJsonContext : JsonSerializerContext;
