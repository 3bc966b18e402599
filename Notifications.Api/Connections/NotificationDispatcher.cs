using System.Diagnostics;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>Turns a message from the backplane into one frame and hands it to the local recipients.</summary>
public sealed class NotificationDispatcher(ConnectionRegistry registry, NotificationsMetrics metrics, ILogger<NotificationDispatcher> logger)
{
    /// <summary>Reads a backplane message; refuses one that is unreadable or names another stream than its channel.</summary>
    public bool TryRead(ReadOnlyMemory<byte> payload, string expectedStream, out NotificationEnvelope envelope)
    {
        if (!NotificationEnvelope.TryParse(payload.Span, out envelope))
        {
            ConnectionsLog.EnvelopeUnreadable(logger, payload.Length);
            metrics.DeliveryFailed(TelemetryNames.FailureReasons.InvalidEnvelope);
            return false;
        }

        // The channel decides the recipient; an envelope naming another stream is refused, not re-routed.
        if (envelope.Stream != expectedStream)
        {
            ConnectionsLog.EnvelopeRejected(logger, envelope.Stream, expectedStream);
            metrics.DeliveryFailed(TelemetryNames.FailureReasons.InvalidEnvelope);
            return false;
        }

        return true;
    }

    /// <summary>Sends a message to the stream's audience on this replica: one frame, shared by every recipient.</summary>
    public void Dispatch(NotificationEnvelope envelope, StreamAudience audience)
    {
        if (audience.Kind == AudienceKind.Broadcast)
        {
            if (registry.ConnectionCount > 0)
            {
                using var activity = StartDelivery(envelope, registry.ConnectionCount);
                var frame = Frames.Notification(envelope);
                foreach (var connection in registry.All())
                {
                    connection.SendNotification(frame, envelope.Stream, envelope.Seq, envelope.SentAt);
                }
            }

            return;
        }

        var recipients = Recipients(audience);
        if (recipients.Length > 0)
        {
            using var activity = StartDelivery(envelope, recipients.Length);
            var frame = Frames.Notification(envelope);
            foreach (var connection in recipients)
            {
                connection.SendNotification(frame, envelope.Stream, envelope.Seq, envelope.SentAt);
            }
        }
    }

    /// <summary>
    /// Closes the connections of a stream whose history they can no longer rely on; they reconnect and resume. With a
    /// new epoch, connections that already started in it (or are still starting and will read it) are left alone.
    /// </summary>
    public void RequireResume(string stream, StreamAudience audience, string? newEpoch = null)
    {
        foreach (var connection in audience.Kind == AudienceKind.Broadcast ? registry.All() : Recipients(audience))
        {
            if (newEpoch is null || (connection.StreamEpoch(stream) is { } epoch && epoch != newEpoch))
            {
                _ = connection.CloseAsync(CloseStatuses.ResumeRequired, "resume required: the history of a stream changed");
            }
        }
    }

    private NotificationConnection[] Recipients(StreamAudience audience) =>
        audience.Kind == AudienceKind.User ? registry.ConnectionsOf(audience.Key) : registry.SubscribersOf(audience.Key);

    private static Activity? StartDelivery(NotificationEnvelope envelope, int recipients)
    {
        ActivityContext.TryParse(envelope.TraceParent, null, out var parent);
        var activity = NotificationsTelemetry.ActivitySource.StartActivity(TelemetryNames.DeliverActivity, ActivityKind.Consumer, parent);
        activity?.SetTag(TelemetryNames.Tags.MessagingSystem, "redis");
        activity?.SetTag(TelemetryNames.Tags.MessageId, envelope.Id);
        activity?.SetTag(TelemetryNames.Tags.MessagingDestination, envelope.Stream);
        activity?.SetTag(TelemetryNames.Tags.Recipients, recipients);
        return activity;
    }
}
