using System.Diagnostics;
using System.Diagnostics.Metrics;
using Notifications.Api.Connections;
using Notifications.Api.Refusals;

namespace Notifications.Api.Telemetry;

/// <summary>The service's instruments, created once through <see cref="IMeterFactory"/>.</summary>
public sealed class NotificationsMetrics
{
    private readonly UpDownCounter<long> _connectionsActive;
    private readonly Counter<long> _published;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Histogram<double> _connectionDuration;
    private readonly Counter<long> _connectionsRejected;
    private readonly Counter<long> _connectionsAborted;
    private readonly Counter<long> _framesRejected;
    private readonly Counter<long> _publishesRejected;
    private readonly Counter<long> _requestsRejected;
    private readonly Histogram<double> _housekeeping;
    private readonly Histogram<double> _replicationWait;
    private readonly Histogram<int> _batchSize;
    private readonly Counter<long> _topicRequests;

    public NotificationsMetrics(IMeterFactory meterFactory, ConnectionRegistry registry)
    {
        var meter = meterFactory.Create(TelemetryNames.Source);
        _connectionsActive = meter.CreateUpDownCounter<long>(TelemetryNames.ConnectionsActive, "{connection}", "Client connections open on this replica, by transport (WebSocket or Server-Sent Events)");
        meter.CreateObservableGauge(TelemetryNames.UsersActive, () => (long)registry.UserCount, "{user}", "Distinct users with at least one connection on this replica");
        _published = meter.CreateCounter<long>(TelemetryNames.MessagesPublished, "{message}", "Messages accepted by the publish API of this replica");
        _delivered = meter.CreateCounter<long>(TelemetryNames.MessagesDelivered, "{message}", "Notification frames written to client sockets");
        _failed = meter.CreateCounter<long>(TelemetryNames.DeliveriesFailed, "{message}", "Notification frames that could not be written, by reason");
        _deliveryLatency = meter.CreateHistogram<double>(TelemetryNames.DeliveryLatency, "s", "Time from publish accepted to the frame written to the socket",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
        _connectionDuration = meter.CreateHistogram<double>(TelemetryNames.ConnectionDuration, "s", "How long client connections stayed open, by why they ended and transport",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 30, 60, 300, 900, 3600, 14400, 86400] });
        _connectionsRejected = meter.CreateCounter<long>(TelemetryNames.ConnectionsRejected, "{connection}", "Connections (WebSocket upgrades and event streams) refused, by reason");
        _connectionsAborted = meter.CreateCounter<long>(TelemetryNames.ConnectionsAborted, "{connection}",
            "Sockets the server cut off without a close handshake, by reason: a peer that stopped answering pings or did not finish a close");
        _framesRejected = meter.CreateCounter<long>(TelemetryNames.FramesRejected, "{frame}", "Client frames that closed their connection, by reason");
        _publishesRejected = meter.CreateCounter<long>(TelemetryNames.PublishesRejected, "{request}", "Publish requests refused, by reason");
        _requestsRejected = meter.CreateCounter<long>(TelemetryNames.RequestsRejected, "{request}", "Other API requests refused, by reason");
        _housekeeping = meter.CreateHistogram<double>(TelemetryNames.HousekeepingDuration, "s",
            "Background Redis work of this replica, by operation and outcome: counted here instead of traced",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5] });
        _replicationWait = meter.CreateHistogram<double>(TelemetryNames.ReplicationWait, "s",
            "Redis WAIT for the replicas to hold a write before it is acknowledged, by outcome (confirmed or unconfirmed)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _batchSize = meter.CreateHistogram<int>(TelemetryNames.BatchSize, "{message}", "Messages per batch publish request that passed the batch's own checks",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] });
        _topicRequests = meter.CreateCounter<long>(TelemetryNames.TopicRequests, "{request}",
            "subscribe and unsubscribe frames, by operation and outcome (ok, or the error code the client got)");
        meter.CreateObservableGauge(TelemetryNames.TopicsActive, () => (long)registry.TopicCount, "{topic}",
            "Topics with at least one subscribed connection on this replica");
    }

    /// <summary>A <c>subscribe</c> or <c>unsubscribe</c> answered; <paramref name="outcome"/> is <c>ok</c> or an error code.</summary>
    public void TopicRequest(string operation, string outcome) => _topicRequests.Add(1, new TagList
    {
        { TelemetryNames.Tags.Operation, operation },
        { TelemetryNames.Tags.Outcome, outcome },
    });

    public void Rejected(RefusalArea area, string reason)
    {
        var counter = area == RefusalArea.Connections ? _connectionsRejected
            : area == RefusalArea.Publishes ? _publishesRejected
            : _requestsRejected;
        counter.Add(1, new TagList { { TelemetryNames.Tags.Reason, reason } });
    }

    public void ConnectionAborted(string reason) => _connectionsAborted.Add(1, new TagList { { TelemetryNames.Tags.Reason, reason } });

    public void FrameRejected(string reason) => _framesRejected.Add(1, new TagList { { TelemetryNames.Tags.Reason, reason } });

    /// <summary>A connection opened; <paramref name="transport"/> is one of <see cref="TelemetryNames.Transports"/>.</summary>
    public void ConnectionOpened(string transport) => _connectionsActive.Add(1, new TagList { { TelemetryNames.Tags.Transport, transport } });

    /// <summary>A connection ended; <paramref name="reason"/> is one of <see cref="TelemetryNames.CloseReasons"/>.</summary>
    public void ConnectionClosed(TimeSpan duration, string reason, string transport)
    {
        _connectionsActive.Add(-1, new TagList { { TelemetryNames.Tags.Transport, transport } });
        _connectionDuration.Record(duration.TotalSeconds, new TagList { { TelemetryNames.Tags.Reason, reason }, { TelemetryNames.Tags.Transport, transport } });
    }

    public void Published(string streamKind, int count = 1) => _published.Add(count, new TagList { { TelemetryNames.Tags.StreamKind, streamKind } });

    public void BatchReceived(int messages) => _batchSize.Record(messages);

    public void Delivered(DateTimeOffset sentAt)
    {
        _delivered.Add(1);
        _deliveryLatency.Record(Math.Max(0, (DateTimeOffset.UtcNow - sentAt).TotalSeconds));
    }

    /// <summary>Notifications written from the history to a resuming client; no latency, they were not live.</summary>
    public void Replayed(int count) => _delivered.Add(count);

    public void DeliveryFailed(string reason, int count = 1) => _failed.Add(count, new TagList { { TelemetryNames.Tags.Reason, reason } });

    /// <summary>
    /// Records one piece of background work (<see cref="TelemetryNames.Housekeeping"/>) that started at
    /// <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp).
    /// </summary>
    public void Housekept(string operation, long startedAt, bool succeeded) =>
        _housekeeping.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds, new TagList
        {
            { TelemetryNames.Tags.Operation, operation },
            { TelemetryNames.Tags.Outcome, succeeded ? "ok" : "failed" },
        });

    /// <summary>A <c>WAIT</c> for replicas that started at <paramref name="startedAt"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void ReplicationWaited(long startedAt, bool confirmed) =>
        _replicationWait.Record(Stopwatch.GetElapsedTime(startedAt).TotalSeconds,
            new TagList { { TelemetryNames.Tags.Outcome, confirmed ? "confirmed" : "unconfirmed" } });
}
