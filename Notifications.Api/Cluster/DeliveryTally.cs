using System.Diagnostics.Metrics;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Cluster;

/// <summary>
/// What this replica delivered, for its cluster reports: listens to the instruments <see cref="NotificationsMetrics"/>
/// already records on every delivery (<c>notifications.messages.delivered</c> and
/// <c>notifications.delivery.latency</c>) instead of adding a second call to the delivery path. Only the instruments
/// of this application's meter factory count, not those of another host in the same process.
/// </summary>
public sealed class DeliveryTally : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _delivered;

    public DeliveryTally(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meterFactory) && instrument.Meter.Name == TelemetryNames.Source
                && instrument.Name is TelemetryNames.MessagesDelivered or TelemetryNames.DeliveryLatency)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, count, _, _) => Interlocked.Add(ref _delivered, count));
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => Latency.Record((long)(seconds * 1_000_000)));
        _listener.Start();
    }

    /// <summary>Notification frames written to sockets since the replica started, live and replayed.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Live deliveries' latency from publish accepted to written, since the replica started.</summary>
    public LatencyHistogram Latency { get; } = new();

    public void Dispose() => _listener.Dispose();
}
