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

    private static string ClusterJson(params (string Node, int Connections, int Users, double AgeSeconds)[] nodes) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            answeredBy = nodes[0].Node,
            nodes = nodes.Select(node => new { node = node.Node, connections = node.Connections, users = node.Users, reportedAt = Now.AddSeconds(node.AgeSeconds) }),
        });
}
