using System.Collections.Concurrent;
using System.Diagnostics;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>A delivery on another replica joins the publisher's trace through the envelope's traceparent.</summary>
public sealed class TracePropagationTests(TwoInProcessReplicas replicas) : IClassFixture<TwoInProcessReplicas>
{
    [Fact]
    public async Task The_delivery_span_on_the_other_replica_is_a_child_of_the_publish_span()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        var user = $"traced-{Guid.NewGuid():N}";
        await using var socket = await NotificationSocket.ConnectAsync(replicas.Second.Api.BaseAddress, await replicas.Second.Api.TokenAsync(user));
        using var http = replicas.First.Api.NewClient();
        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http,
            await replicas.First.Api.TokenAsync("publisher", "publisher"), user, new { data = "traced" }), $"user:{user}");
        Assert.Equal(id, (await socket.NextNotificationAsync()).GetProperty("id").GetString());

        var publish = Assert.Single(stopped, a => a.OperationName == TelemetryNames.PublishActivity && Equals(a.GetTagItem(TelemetryNames.Tags.MessageId), id));
        var deliver = Assert.Single(stopped, a => a.OperationName == TelemetryNames.DeliverActivity && Equals(a.GetTagItem(TelemetryNames.Tags.MessageId), id));
        Assert.Equal(publish.TraceId, deliver.TraceId);
        Assert.Equal(publish.SpanId, deliver.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(ActivityKind.Consumer, deliver.Kind);
    }
}
