using System.Text.Json;
using Notifications.Api.Cluster;
using StackExchange.Redis;

namespace Notifications.UnitTests;

public class ClusterDirectoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(6);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Reports_younger_than_the_lifetime_are_current_and_sorted_by_node()
    {
        var (current, stale) = ClusterDirectory.Partition(
            [Entry(new NodeReport("node-b", 3, 2, Now.AddSeconds(-1))), Entry(new NodeReport("node-a", 1, 1, Now.AddSeconds(-5.9)))],
            Now, Lifetime);

        Assert.Equal(["node-a", "node-b"], current.Select(report => report.Node));
        Assert.Equal(3, current[1].Connections);
        Assert.Equal(2, current[1].Users);
        Assert.Empty(stale);
    }

    [Fact]
    public void A_replica_that_stopped_reporting_drops_out_once_its_last_report_is_a_lifetime_old()
    {
        var (current, stale) = ClusterDirectory.Partition(
            [Entry(new NodeReport("alive", 0, 0, Now)), Entry(new NodeReport("gone", 5, 5, Now - Lifetime))],
            Now, Lifetime);

        Assert.Equal("alive", Assert.Single(current).Node);
        Assert.Equal("gone", Assert.Single(stale).ToString());
    }

    [Fact]
    public void An_entry_that_is_not_a_report_is_stale_rather_than_an_error()
    {
        var (current, stale) = ClusterDirectory.Partition([new HashEntry("garbage", "not json")], Now, Lifetime);

        Assert.Empty(current);
        Assert.Equal("garbage", Assert.Single(stale).ToString());
    }

    [Fact]
    public void A_report_of_an_older_replica_without_deliveries_and_latency_still_reads_and_a_new_one_keeps_them()
    {
        var (current, _) = ClusterDirectory.Partition(
            [new HashEntry("old", $$"""{"node":"old","connections":2,"users":1,"reportedAt":"{{Now:O}}"}"""),
             Entry(new NodeReport("new", 1, 1, Now, 42, new LatencyPercentiles(40, 1.5, 3.2, 9.9)))],
            Now, Lifetime);

        Assert.Equal(["new", "old"], current.Select(report => report.Node));
        Assert.Equal(42, current[0].Delivered);
        Assert.Equal(9.9, current[0].Latency!.P99Ms);
        Assert.Null(current[1].Delivered);
        Assert.Null(current[1].Latency);
        Assert.Equal(2, current[1].Connections);
    }

    private static HashEntry Entry(NodeReport report) =>
        new(report.Node, JsonSerializer.Serialize(report, Json));
}
