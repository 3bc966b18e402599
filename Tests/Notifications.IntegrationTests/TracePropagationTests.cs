using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// A delivery on another replica joins the publisher's trace through the envelope's traceparent, and nothing else
/// starts traces: the replicas' background work is counted in metrics, so a dashboard shows the publishes.
/// </summary>
public sealed class TracePropagationTests(TwoInProcessReplicas replicas) : IClassFixture<TwoInProcessReplicas>
{
    [Fact]
    public async Task The_delivery_span_on_the_other_replica_is_a_child_of_the_publish_span()
    {
        using var spans = new SpanRecorder();
        var user = $"traced-{Guid.NewGuid():N}";
        await using var socket = await NotificationSocket.ConnectAsync(replicas.Second.Api.BaseAddress, await replicas.Second.Api.TokenAsync(user));
        using var http = replicas.First.Api.NewClient();
        var token = await replicas.First.Api.TokenAsync("publisher", "publisher");
        spans.Clear();

        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, token, user, new { data = "traced" }), $"user:{user}");
        Assert.Equal(id, (await socket.NextNotificationAsync()).GetProperty("id").GetString());

        var publish = await spans.SingleAsync(a => a.OperationName == TelemetryNames.PublishActivity && Equals(a.GetTagItem(TelemetryNames.Tags.MessageId), id));
        var deliver = await spans.SingleAsync(a => a.OperationName == TelemetryNames.DeliverActivity && Equals(a.GetTagItem(TelemetryNames.Tags.MessageId), id));
        var redis = await spans.SingleAsync(a => a.OperationName == "EVALSHA" && a.ParentSpanId == publish.SpanId);
        Assert.Equal(publish.TraceId, deliver.TraceId);
        Assert.Equal(publish.SpanId, deliver.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(ActivityKind.Consumer, deliver.Kind);
        Assert.Equal(ActivityKind.Client, redis.Kind);
        // The whole publish is one trace: the test's request is its only root.
        Assert.Single(spans.Started, a => a.TraceId == publish.TraceId && a.Parent is null && a.ParentSpanId == default);
    }

    [Fact]
    public async Task Background_work_starts_no_trace_of_its_own_and_is_counted_instead()
    {
        var meters = replicas.Second.Services.GetRequiredService<IMeterFactory>();
        using var housekeeping = new MetricCollector<double>(meters, TelemetryNames.Source, TelemetryNames.HousekeepingDuration);
        var user = $"idle-{Guid.NewGuid():N}";
        await using var staying = await NotificationSocket.ConnectAsync(replicas.Second.Api.BaseAddress, await replicas.Second.Api.TokenAsync(user));
        var leaving = await NotificationSocket.ConnectAsync(replicas.Second.Api.BaseAddress, await replicas.Second.Api.TokenAsync($"{user}-leaving"));
        using var spans = new SpanRecorder();

        // A disconnect (unsubscribe, lease release), then idle while reports and lease renewals go on.
        await leaving.DisposeAsync();
        await Eventually.UntilAsync("reports, a lease renewal, an unsubscribe and a lease release", _ =>
        {
            var done = housekeeping.GetMeasurementSnapshot().GroupBy(m => (string?)m.Tags[TelemetryNames.Tags.Operation])
                .ToDictionary(g => g.Key ?? "", g => g.Count());
            return Task.FromResult(done.GetValueOrDefault(TelemetryNames.Housekeeping.ClusterReport) >= 5
                && done.GetValueOrDefault(TelemetryNames.Housekeeping.LeaseRenewal) >= 2
                && done.GetValueOrDefault(TelemetryNames.Housekeeping.Unsubscribe) >= 1
                && done.GetValueOrDefault(TelemetryNames.Housekeeping.LeaseRelease) >= 1);
        });

        Assert.Empty(spans.Started);
    }

    /// <summary>Every activity of every source in this process, sampled and recorded, as an exporter would see it.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _started = new();
        private readonly ConcurrentQueue<Activity> _stopped = new();

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = _ => true,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStarted = _started.Enqueue,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyCollection<Activity> Started => _started;

        public void Clear()
        {
            _started.Clear();
            _stopped.Clear();
        }

        /// <summary>The one stopped activity that matches, waiting for it: spans of other replicas end a little later.</summary>
        public Task<Activity> SingleAsync(Func<Activity, bool> match) =>
            Eventually.UntilAsync("the span", _ => Task.FromResult(_stopped.Count(match) == 1 ? _stopped.Single(match) : null), TimeSpan.FromSeconds(20));

        public void Dispose() => _listener.Dispose();
    }
}
