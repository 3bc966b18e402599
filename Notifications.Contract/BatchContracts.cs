using System.Text.Json;
using System.Text.Json.Serialization;

namespace Notifications.Contract;

/// <summary>The body of <c>POST /api/notifications/batch</c>: messages stored and answered in this order.</summary>
public sealed record PublishBatchRequest(IReadOnlyList<BatchMessage>? Messages);

/// <summary>
/// One message of a batch. Its target is exactly one of <see cref="UserId"/>, <see cref="Broadcast"/> or <see cref="Topic"/>: a target kind
/// added later is one more optional property, and a server that does not know it answers that item
/// <see cref="BatchErrorCodes.InvalidTarget"/> instead of sending it somewhere else.
/// </summary>
public sealed record BatchMessage(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Broadcast,
    JsonElement Data,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? IdempotencyKey)
{
    public static BatchMessage ToUser(string userId, JsonElement data, string? idempotencyKey = null) => new(userId, null, data, idempotencyKey);

    public static BatchMessage ToEveryone(JsonElement data, string? idempotencyKey = null) => new(null, true, data, idempotencyKey);

    public static BatchMessage ToTopic(string topic, JsonElement data, string? idempotencyKey = null) =>
        new(null, null, data, idempotencyKey) { Topic = topic };

    /// <summary>The topic the message goes to (v1.1).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Topic { get; init; }
}

/// <summary>The answer of a batch: one result per message, in the order of the request.</summary>
public sealed record PublishBatchResponse(IReadOnlyList<BatchItemResult> Results);

/// <summary>
/// Where one message went (<see cref="Id"/>, <see cref="Stream"/>, <see cref="Seq"/>), or why it was not stored
/// (<see cref="Error"/>; <see cref="Stream"/> is still given when the target was valid).
/// </summary>
public sealed record BatchItemResult(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stream,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Seq,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] BatchItemError? Error)
{
    [JsonIgnore]
    public bool Succeeded => Error is null;
}

/// <summary>Why one message of a batch was not stored: a code of <see cref="BatchErrorCodes"/> and a sentence for people.</summary>
public sealed record BatchItemError(string Code, string Detail);

/// <summary>
/// The per-message error codes of a batch (docs/protocol.md). Clients treat a code they do not know as a failure of that
/// message that a retry will not fix.
/// </summary>
public static class BatchErrorCodes
{
    /// <summary>Not exactly one target of <c>userId</c>, <c>broadcast: true</c> and <c>topic</c>, or an unknown kind.</summary>
    public const string InvalidTarget = "invalid_target";

    public const string InvalidUserId = "invalid_user_id";

    /// <summary>Not a topic name (<see cref="TopicNames"/>), or longer than the server allows.</summary>
    public const string InvalidTopic = "invalid_topic";

    /// <summary>The publisher's <c>publish_topics</c> claim does not allow this topic.</summary>
    public const string TopicForbidden = "topic_forbidden";

    public const string InvalidIdempotencyKey = "invalid_idempotency_key";

    /// <summary>No <c>data</c> property.</summary>
    public const string MissingData = "missing_data";

    /// <summary>The message's <c>data</c> is larger than a single publish's body may be.</summary>
    public const string TooBig = "too_big";

    /// <summary>
    /// Redis did not answer for this message's stream (or its replicas did not confirm it). The message may have been
    /// stored: retry it with the same idempotency key, which is then safe.
    /// </summary>
    public const string BackplaneUnavailable = "backplane_unavailable";
}
