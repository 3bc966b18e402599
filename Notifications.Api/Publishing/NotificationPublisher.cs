using System.Diagnostics;
using System.Text.Json;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Publishing;

/// <summary>Wraps a message in an envelope that carries the publisher's trace, and hands it to the backplane.</summary>
public sealed class NotificationPublisher(RedisBackplane backplane, NotificationsMetrics metrics, TimeProvider time)
{
    public Task<PublishResponse> PublishToUserAsync(string userId, JsonElement data) =>
        PublishAsync(Streams.ForUser(userId), TelemetryNames.StreamKinds.User, data);

    public Task<PublishResponse> BroadcastAsync(JsonElement data) =>
        PublishAsync(Streams.Broadcast, TelemetryNames.StreamKinds.Broadcast, data);

    private async Task<PublishResponse> PublishAsync(string stream, string streamKind, JsonElement data)
    {
        var id = Guid.CreateVersion7().ToString("N");
        using var activity = NotificationsTelemetry.ActivitySource.StartActivity(TelemetryNames.PublishActivity, ActivityKind.Producer);
        activity?.SetTag(TelemetryNames.Tags.MessagingSystem, "redis");
        activity?.SetTag(TelemetryNames.Tags.MessagingDestination, stream);
        activity?.SetTag(TelemetryNames.Tags.MessageId, id);

        var envelope = new NotificationEnvelope(id, stream, data, time.GetUtcNow(), (activity ?? Activity.Current)?.Id);
        try
        {
            await backplane.PublishAsync(envelope);
        }
        catch (Exception exception)
        {
            activity?.AddException(exception);
            activity?.SetStatus(ActivityStatusCode.Error);
            throw;
        }

        metrics.Published(streamKind);
        return new PublishResponse(id, stream);
    }
}
