using System.Net;
using Notifications.Web.Components.Pages;
using Notifications.WebTests.Infrastructure;

namespace Notifications.WebTests;

public sealed class ClusterPageTests : WebContext
{
    [Fact]
    public void Every_reporting_replica_is_listed_with_its_counts_age_and_totals()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.OK, ClusterJson(("api-a", 3, 2, -1.5), ("api-b", 1, 1, -0.5)));

        var page = Render<Cluster>();

        var rows = page.FindAll("[data-testid=cluster-node]");
        Assert.Equal(["api-a", "api-b"], rows.Select(row => row.GetAttribute("data-node")));
        Assert.Contains("1.5 s ago", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("4", page.Find("[data-testid=cluster-total-connections]").TextContent);
        Assert.Contains("answered by api-a", page.Find("caption").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_refreshes_on_its_own_and_a_replica_that_stopped_reporting_leaves_the_table()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.OK, ClusterJson(("api-a", 0, 0, 0), ("api-b", 0, 0, 0)));
        var page = Render<Cluster>();
        Assert.Equal(2, page.FindAll("[data-testid=cluster-node]").Count);

        Api.Answer = _ => StubApi.Json(HttpStatusCode.OK, ClusterJson(("api-a", 0, 0, 0)));
        Time.Advance(Cluster.RefreshInterval);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=cluster-node]")));
    }

    [Fact]
    public void An_unreachable_backplane_is_reported_instead_of_an_empty_table()
    {
        Api.Answer = _ => StubApi.Json(HttpStatusCode.ServiceUnavailable,
            """{"title":"Backplane unavailable","detail":"The cluster directory lives in Redis, which this replica cannot reach."}""",
            "application/problem+json");

        var page = Render<Cluster>();

        Assert.Contains("503 Service Unavailable: The cluster directory lives in Redis", page.Find("[role=alert]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_charts_draw_each_replicas_counts_rate_and_latency_from_consecutive_reports()
    {
        var reports = new[]
        {
            """{"node":"api-a","connections":3,"users":2,"reportedAt":"2026-11-30T07:59:58+00:00","delivered":100}""",
            """{"node":"api-a","connections":4,"users":3,"reportedAt":"2026-11-30T08:00:00+00:00","delivered":160,"latency":{"count":60,"p50Ms":1.5,"p95Ms":4,"p99Ms":12}}""",
        };
        var answer = 0;
        Api.Answer = _ => StubApi.Json(HttpStatusCode.OK,
            $$"""{"answeredBy":"api-a","nodes":[{{reports[Math.Min(answer++, 1)]}},{"node":"old-replica","connections":1,"users":1,"reportedAt":"2026-11-30T08:00:00+00:00"}]}""");

        var page = Render<Cluster>();
        Time.Advance(Cluster.RefreshInterval);

        page.WaitForAssertion(() => Assert.Equal("30", Series(page, "deliveries", "api-a").GetAttribute("data-last")), TimeSpan.FromSeconds(30));
        Assert.Equal("4", Series(page, "connections", "api-a").GetAttribute("data-last"));
        Assert.Equal("2", Series(page, "connections", "api-a").GetAttribute("data-points"));
        Assert.Equal("3", Series(page, "users", "api-a").GetAttribute("data-last"));
        Assert.Equal("1.5", Series(page, "p50", "api-a").GetAttribute("data-last"));
        Assert.Equal("4", Series(page, "p95", "api-a").GetAttribute("data-last"));
        Assert.Equal("12", Series(page, "p99", "api-a").GetAttribute("data-last"));
        Assert.Equal("30", page.Find("[data-node='api-a'] [data-testid=cluster-rate]").TextContent);
        Assert.Equal("1.5 / 4 / 12 ms", page.Find("[data-node='api-a'] [data-testid=cluster-latency]").TextContent);
        // A replica of v1 reports no deliveries: its lines are there for counts, empty for the rest.
        Assert.Equal("0", Series(page, "deliveries", "old-replica").GetAttribute("data-points"));
        Assert.Equal("—", page.Find("[data-node='old-replica'] [data-testid=cluster-latency]").TextContent);
    }

    private static AngleSharp.Dom.IElement Series(IRenderedComponent<Cluster> page, string measure, string node) =>
        page.Find($"[data-testid=chart-series][data-measure='{measure}'][data-node='{node}']");

    private static string ClusterJson(params (string Node, int Connections, int Users, double AgeSeconds)[] nodes) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            answeredBy = nodes[0].Node,
            nodes = nodes.Select(node => new { node = node.Node, connections = node.Connections, users = node.Users, reportedAt = Now.AddSeconds(node.AgeSeconds) }),
        });
}
