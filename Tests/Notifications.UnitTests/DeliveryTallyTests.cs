using Notifications.Api.Cluster;

namespace Notifications.UnitTests;

public class DeliveryTallyTests
{
    [Fact]
    public void Live_and_replayed_deliveries_count_and_live_ones_enter_the_latency_histogram()
    {
        var (metrics, factory) = TestMetrics.Create();
        using var tally = new DeliveryTally(factory);

        metrics.Delivered(DateTimeOffset.UtcNow.AddMilliseconds(-30));
        metrics.Delivered(DateTimeOffset.UtcNow.AddMilliseconds(-30));
        metrics.Replayed(5);

        Assert.Equal(7, tally.Delivered);
        var latency = new LatencyWindow(tally.Latency).Next();
        Assert.NotNull(latency);
        Assert.Equal(2, latency.Count);
        Assert.InRange(latency.P50Ms, 30, 30_000);
    }

    [Fact]
    public void Another_hosts_metrics_in_the_same_process_do_not_count()
    {
        var (_, factory) = TestMetrics.Create();
        var (otherMetrics, _) = TestMetrics.Create();
        using var tally = new DeliveryTally(factory);

        otherMetrics.Delivered(DateTimeOffset.UtcNow);
        otherMetrics.Replayed(3);

        Assert.Equal(0, tally.Delivered);
        Assert.Null(new LatencyWindow(tally.Latency).Next());
    }
}
