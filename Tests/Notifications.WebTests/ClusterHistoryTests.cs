using Notifications.Web.Cluster;
using Notifications.WebTests.Infrastructure;

namespace Notifications.WebTests;

public sealed class ClusterHistoryTests
{
    private static readonly DateTimeOffset Now = WebContext.Now;

    [Fact]
    public void A_report_seen_twice_enters_once_and_reports_older_than_the_window_leave_with_their_replica()
    {
        var history = new ClusterHistory();
        var old = Report("api-a", Now - ClusterHistory.Window - TimeSpan.FromSeconds(1), connections: 7);
        history.Add([old, Report("api-b", Now, connections: 1)], Now);
        history.Add([Report("api-b", Now, connections: 1)], Now);

        Assert.Equal(["api-b"], history.Nodes);
        Assert.Equal([new ChartPoint(Now, 1)], history.Connections("api-b"));
        Assert.Empty(history.Connections("api-a"));
    }

    [Fact]
    public void Deliveries_per_second_are_the_counter_difference_over_the_time_between_two_reports()
    {
        var history = new ClusterHistory();
        history.Add([Report("api-a", Now, delivered: 100)], Now);
        history.Add([Report("api-a", Now.AddSeconds(2), delivered: 300)], Now.AddSeconds(2));
        history.Add([Report("api-a", Now.AddSeconds(4), delivered: 300)], Now.AddSeconds(4));

        Assert.Equal([new ChartPoint(Now.AddSeconds(2), 100), new ChartPoint(Now.AddSeconds(4), 0)], history.DeliveriesPerSecond("api-a"));
    }

    [Fact]
    public void A_counter_that_went_down_means_a_restart_and_a_report_without_a_counter_gives_no_rate()
    {
        var history = new ClusterHistory();
        history.Add([Report("api-a", Now, delivered: 500)], Now);
        history.Add([Report("api-a", Now.AddSeconds(2), delivered: 10)], Now.AddSeconds(2));
        history.Add([Report("api-a", Now.AddSeconds(4), delivered: 30)], Now.AddSeconds(4));
        history.Add([Report("api-a", Now.AddSeconds(6), delivered: null)], Now.AddSeconds(6));

        Assert.Equal([new ChartPoint(Now.AddSeconds(4), 10)], history.DeliveriesPerSecond("api-a"));
    }

    [Fact]
    public void Latency_points_come_from_the_reports_that_saw_deliveries()
    {
        var history = new ClusterHistory();
        history.Add([Report("api-a", Now, latency: new LatencyPercentiles(10, 1, 2, 3))], Now);
        history.Add([Report("api-a", Now.AddSeconds(2))], Now.AddSeconds(2));

        Assert.Equal([new ChartPoint(Now, 3)], history.Latency("api-a", latency => latency.P99Ms));
    }

    [Fact]
    public void Each_replica_keeps_its_colour_by_node_order()
    {
        var history = new ClusterHistory();
        history.Add([Report("api-b", Now), Report("api-a", Now)], Now);

        Assert.Equal("#0072b2", history.ColorOf("api-a"));
        Assert.Equal("#e69f00", history.ColorOf("api-b"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(0.3, 1)]
    [InlineData(1, 1)]
    [InlineData(1.01, 2)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(180, 200)]
    [InlineData(2500, 5000)]
    public void The_y_axis_ends_at_a_round_number_at_or_above_the_largest_value(double max, double expected) =>
        Assert.Equal(expected, ChartScale.NiceMax(max));

    [Fact]
    public void A_path_maps_the_window_onto_the_width_and_zero_to_max_onto_the_height_leaving_out_points_outside_it()
    {
        var scale = new ChartScale(Now, Now.AddSeconds(100), yMax: 10, width: 400, height: 120);

        var path = scale.Path([new ChartPoint(Now.AddSeconds(-1), 5), new ChartPoint(Now, 0), new ChartPoint(Now.AddSeconds(50), 5),
            new ChartPoint(Now.AddSeconds(100), 10), new ChartPoint(Now.AddSeconds(101), 1)]);

        Assert.Equal("M0 120 L200 60 L400 0", path);
    }

    private static NodeReport Report(string node, DateTimeOffset at, int connections = 0, long? delivered = null,
        LatencyPercentiles? latency = null) => new(node, connections, 0, at, delivered, latency);
}
