using System.Runtime.InteropServices;
using System.Text.Json;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Publishing;

/// <summary>A message of a batch that passed its checks: its place in the request, its data and its idempotency key.</summary>
public sealed record PlannedMessage(int Index, JsonElement Data, string? IdempotencyKey);

/// <summary>The messages of one stream, in request order: one script call stores them all.</summary>
public sealed record StreamGroup(string Stream, string StreamKind, IReadOnlyList<PlannedMessage> Messages);

/// <summary>
/// A batch checked message by message and grouped by stream: the messages that cannot be stored have their error
/// already, the others wait in their stream's group. The groups come in the order of their first message.
/// </summary>
public sealed class BatchPlan
{
    private BatchPlan(BatchItemResult?[] results, IReadOnlyList<StreamGroup> groups) => (Results, Groups) = (results, groups);

    /// <summary>One slot per message of the request; null until the message is stored or fails.</summary>
    public BatchItemResult?[] Results { get; }

    public IReadOnlyList<StreamGroup> Groups { get; }

    /// <param name="maxDataBytes">The largest <c>data</c> of one message, in UTF-8 bytes as it came.</param>
    /// <param name="checkTopic">
    /// The caller's own rules for a topic target (length, <c>publish_topics</c>); the contract's name rule applies in any case.
    /// </param>
    public static BatchPlan Create(IReadOnlyList<BatchMessage?> messages, int maxDataBytes, Func<string, BatchItemError?>? checkTopic = null)
    {
        var results = new BatchItemResult?[messages.Count];
        var groups = new Dictionary<string, (string Kind, List<PlannedMessage> Messages)>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var (stream, kind, error) = Check(messages[i], maxDataBytes, checkTopic);
            if (error is not null)
            {
                results[i] = new BatchItemResult(null, stream, null, error);
                continue;
            }

            if (!groups.TryGetValue(stream!, out var group))
            {
                groups[stream!] = group = (kind!, []);
                order.Add(stream!);
            }

            group.Messages.Add(new PlannedMessage(i, messages[i]!.Data, messages[i]!.IdempotencyKey));
        }

        return new BatchPlan(results, [.. order.Select(stream => new StreamGroup(stream, groups[stream].Kind, groups[stream].Messages))]);
    }

    private static (string? Stream, string? Kind, BatchItemError? Error) Check(BatchMessage? message, int maxDataBytes,
        Func<string, BatchItemError?>? checkTopic)
    {
        var (stream, kind, error) = Target(message, checkTopic);
        error ??= message!.Data.ValueKind == JsonValueKind.Undefined
            ? new BatchItemError(BatchErrorCodes.MissingData, "Each message needs a \"data\" property (any JSON value).")
            : JsonMarshal.GetRawUtf8Value(message.Data).Length > maxDataBytes
                ? new BatchItemError(BatchErrorCodes.TooBig, $"A message's data is limited to {maxDataBytes} bytes (Limits:MaxPublishBodyBytes).")
                : message.IdempotencyKey is null || IdempotencyKeys.IsValid(message.IdempotencyKey)
                    ? null
                    : new BatchItemError(BatchErrorCodes.InvalidIdempotencyKey, IdempotencyKeys.Rule);
        return (stream, kind, error);
    }

    /// <summary>Exactly one target: a user, a topic, or the broadcast stream.</summary>
    private static (string? Stream, string? Kind, BatchItemError? Error) Target(BatchMessage? message, Func<string, BatchItemError?>? checkTopic) =>
        message switch
        {
            { UserId: { } userId, Broadcast: null or false, Topic: null } => UserIds.IsValid(userId)
                ? (Streams.ForUser(userId), TelemetryNames.StreamKinds.User, null)
                : (null, null, new BatchItemError(BatchErrorCodes.InvalidUserId, UserIds.Rule)),
            { UserId: null, Broadcast: true, Topic: null } => (Streams.Broadcast, TelemetryNames.StreamKinds.Broadcast, null),
            { UserId: null, Broadcast: null or false, Topic: { } topic } => TopicTarget(topic, checkTopic),
            _ => (null, null, new BatchItemError(BatchErrorCodes.InvalidTarget,
                "Each message needs exactly one target: \"userId\", \"topic\", or \"broadcast\": true.")),
        };

    private static (string? Stream, string? Kind, BatchItemError? Error) TopicTarget(string topic, Func<string, BatchItemError?>? checkTopic)
    {
        if (!TopicNames.IsValid(topic))
        {
            return (null, null, new BatchItemError(BatchErrorCodes.InvalidTopic, TopicNames.Rule));
        }

        // The stream is named even when the caller may not publish to it, as for any valid target.
        var stream = Streams.ForTopic(topic);
        return checkTopic?.Invoke(topic) is { } error ? (stream, null, error) : (stream, TelemetryNames.StreamKinds.Topic, null);
    }
}
