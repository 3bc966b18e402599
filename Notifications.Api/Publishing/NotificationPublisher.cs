using System.Diagnostics;
using System.Text.Json;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;
using Polly;

namespace Notifications.Api.Publishing;

/// <summary>
/// Publishes a message into its stream: the history script gives it its seq, stores it and publishes it, or nothing
/// happens. Only a command that never reached Redis is retried, so a retry cannot store a message twice.
/// </summary>
public sealed class NotificationPublisher(NotificationHistory history, ResiliencePipeline resilience,
    NotificationsMetrics metrics, TimeProvider time)
{
    public Task<PublishResponse> PublishToUserAsync(string userId, JsonElement data, string? idempotencyKey) =>
        PublishAsync(Streams.ForUser(userId), TelemetryNames.StreamKinds.User, data, idempotencyKey);

    public Task<PublishResponse> PublishToTopicAsync(string topic, JsonElement data, string? idempotencyKey) =>
        PublishAsync(Streams.ForTopic(topic), TelemetryNames.StreamKinds.Topic, data, idempotencyKey);

    public Task<PublishResponse> BroadcastAsync(JsonElement data, string? idempotencyKey) =>
        PublishAsync(Streams.Broadcast, TelemetryNames.StreamKinds.Broadcast, data, idempotencyKey);

    private async Task<PublishResponse> PublishAsync(string stream, string streamKind, JsonElement data, string? idempotencyKey)
    {
        var id = Guid.CreateVersion7().ToString("N");
        using var activity = NotificationsTelemetry.ActivitySource.StartActivity(TelemetryNames.PublishActivity, ActivityKind.Producer);
        activity?.SetTag(TelemetryNames.Tags.MessagingSystem, "redis");
        activity?.SetTag(TelemetryNames.Tags.MessagingDestination, stream);
        activity?.SetTag(TelemetryNames.Tags.MessageId, id);

        var tail = NotificationEnvelope.Tail(time.GetUtcNow(), id, stream, (activity ?? Activity.Current)?.Id, data);
        try
        {
            // The Redis client takes no cancellation token: the wait for its answer is what the timeout cancels.
            var published = await resilience.ExecuteAsync(static async (state, cancellationToken) =>
                await state.history.PublishAsync(state.stream, state.id, state.tail, state.idempotencyKey).WaitAsync(cancellationToken),
                (history, stream, id, tail, idempotencyKey));
            activity?.SetTag(TelemetryNames.Tags.Seq, published.Seq);
            if (published.Id == id)
            {
                metrics.Published(streamKind);
            }

            return new PublishResponse(published.Id, stream, published.Seq);
        }
        catch (Exception exception)
        {
            activity?.AddException(exception);
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }
    }
}
