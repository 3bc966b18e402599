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

    /// <summary>Sends a message to the connections of <paramref name="userId"/>, or to all for a broadcast (null).</summary>
    public void Dispatch(NotificationEnvelope envelope, string? userId)
    {
        var recipients = userId is null ? registry.ConnectionCount : registry.ConnectionsOf(userId).Length;
        if (recipients == 0)
        {
            return;
        }

        using var activity = StartDelivery(envelope, recipients);
        var frame = Frames.Notification(envelope);
        var slot = userId is null ? StreamSlot.Broadcast : StreamSlot.User;
        foreach (var connection in userId is null ? registry.All() : registry.ConnectionsOf(userId))
        {
            connection.SendNotification(frame, slot, envelope.Seq, envelope.SentAt);
        }
    }

    /// <summary>
    /// Closes the connections of a stream whose history they can no longer rely on; they reconnect and resume. With a
    /// new epoch, connections that already started in it (or are still starting and will read it) are left alone.
    /// </summary>
    public void RequireResume(string stream, string? userId, string? newEpoch = null)
    {
        foreach (var connection in userId is null ? registry.All() : registry.ConnectionsOf(userId))
        {
            if (newEpoch is null || (connection.StreamEpochs is { } epochs && epochs.GetValueOrDefault(stream) != newEpoch))
            {
                _ = connection.CloseAsync(CloseStatuses.ResumeRequired, "resume required: the history of a stream changed");
            }
        }
    }

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
