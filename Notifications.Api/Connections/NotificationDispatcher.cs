using System.Diagnostics;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>Turns a message received from the backplane into one frame and hands it to the local recipients.</summary>
public sealed class NotificationDispatcher(ConnectionRegistry registry, NotificationsMetrics metrics, ILogger<NotificationDispatcher> logger)
{
    public void DispatchToUser(string userId, ReadOnlyMemory<byte> envelopeUtf8)
    {
        var connections = registry.ConnectionsOf(userId);
        if (connections.Length == 0 || !TryRead(envelopeUtf8, out var envelope))
        {
            return;
        }

        // The channel decides the recipient; an envelope naming another stream is refused, not re-routed.
        if (!Streams.IsStreamOfUser(envelope.Stream, userId))
        {
            ConnectionsLog.EnvelopeRejected(logger, envelope.Stream);
            return;
        }

        using var activity = StartDelivery(envelope, connections.Length);
        var frame = Frames.Notification(envelope);
        foreach (var connection in connections)
        {
            connection.SendNotification(frame, envelope.SentAt);
        }
    }

    public void DispatchToAll(ReadOnlyMemory<byte> envelopeUtf8)
    {
        if (registry.ConnectionCount == 0 || !TryRead(envelopeUtf8, out var envelope))
        {
            return;
        }

        using var activity = StartDelivery(envelope, registry.ConnectionCount);
        var frame = Frames.Notification(envelope);
        foreach (var connection in registry.All())
        {
            connection.SendNotification(frame, envelope.SentAt);
        }
    }

    private bool TryRead(ReadOnlyMemory<byte> envelopeUtf8, out NotificationEnvelope envelope)
    {
        if (NotificationEnvelope.TryParse(envelopeUtf8.Span, out envelope))
        {
            return true;
        }

        ConnectionsLog.EnvelopeUnreadable(logger, envelopeUtf8.Length);
        metrics.DeliveryFailed(TelemetryNames.FailureReasons.InvalidEnvelope);
        return false;
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
