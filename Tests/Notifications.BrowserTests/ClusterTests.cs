using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Notifications.BrowserTests.Infrastructure;

namespace Notifications.BrowserTests;

[Collection(BrowserAppHost.Name)]
public sealed class ClusterTests(BrowserAppHostFixture fixture)
{
    [Fact]
    public async Task The_cluster_page_lists_every_replica_with_its_counts_and_a_killed_one_drops_out_when_its_entry_expires()
    {
        await using var session = await fixture.NewSessionAsync();
        var live = await session.SignInAsync(UserSession.NewUserId("frank"), publisher: false);
        var liveNode = await live.NodeOfAsync(1);
        var page = await session.NewPageAsync("cluster");
        var nodes = page.GetByTestId("cluster-node");

        await Expect(nodes).ToHaveCountAsync(BrowserAppHostFixture.ReplicaCount);
        Assert.Equal(fixture.Replicas.Nodes, await nodes.EvaluateAllAsync<string[]>("rows => rows.map(row => row.dataset.node)"));
        await Expect(page.Locator($"[data-testid=cluster-node][data-node='{liveNode}'] [data-testid=cluster-connections]"))
            .Not.ToHaveTextAsync("0");
        await Screenshots.TakeAsync(page, "cluster");

        var victim = fixture.Replicas.Nodes.First(node => node != liveNode);
        fixture.Replicas.Kill(victim);
        try
        {
            await Expect(nodes).ToHaveCountAsync(BrowserAppHostFixture.ReplicaCount - 1);
            await Expect(page.Locator($"[data-testid=cluster-node][data-node='{victim}']")).ToHaveCountAsync(0);
        }
        finally
        {
            await fixture.Replicas.StartAsync(victim);
        }

        await Expect(nodes).ToHaveCountAsync(BrowserAppHostFixture.ReplicaCount);
    }

    [Fact]
    public async Task The_charts_draw_every_replicas_reported_counts_and_the_deliveries_and_latency_of_the_replica_that_delivered()
    {
        await using var session = await fixture.NewSessionAsync();
        var userId = UserSession.NewUserId("grace");
        var live = await session.SignInAsync(userId, publisher: false);
        var liveNode = await live.NodeOfAsync(1);
        var page = await session.NewPageAsync("cluster");
        await Expect(page.GetByTestId("cluster-node")).ToHaveCountAsync(BrowserAppHostFixture.ReplicaCount);

        foreach (var node in fixture.Replicas.Nodes)
        {
            await Expect(Series(page, "connections", node)).ToHaveCountAsync(1);
            await Expect(Series(page, "users", node)).ToHaveCountAsync(1);
        }

        var connections = page.Locator($"[data-testid=cluster-node][data-node='{liveNode}'] [data-testid=cluster-connections]");
        await Expect(connections).Not.ToHaveTextAsync("0");
        await Expect(Series(page, "connections", liveNode)).ToHaveAttributeAsync("data-last", await connections.InnerTextAsync());

        const int messages = 30;
        await PublishAsync(userId, messages);
        await Expect(live.Notification($"user:{userId}", messages)).ToHaveCountAsync(1);

        // The replica the page is on wrote them: its rate went above zero and its latency lines have points.
        await Expect(Series(page, "deliveries", liveNode)).ToHaveAttributeAsync("data-max", PositiveNumber());
        foreach (var percentile in new[] { "p50", "p95", "p99" })
        {
            await Expect(Series(page, percentile, liveNode)).ToHaveAttributeAsync("data-points", PositiveNumber());
        }

        using var http = new HttpClient { BaseAddress = fixture.ApiUrl };
        var report = (await http.GetFromJsonAsync<ClusterView>(Routes.Cluster, new JsonSerializerOptions(JsonSerializerDefaults.Web)))!
            .Nodes.Single(node => node.Node == liveNode);
        Assert.True(report.Delivered >= messages, $"{liveNode} reports {report.Delivered} deliveries");
        await Screenshots.TakeAsync(page, "cluster-charts");
    }

    [Fact]
    public async Task Get_api_cluster_answers_node_connections_users_and_reported_at_for_each_replica()
    {
        using var http = new HttpClient { BaseAddress = fixture.ApiUrl };

        // A replica that has just started (an earlier test restarts one) reports within a report interval.
        var cluster = await Eventually.UntilValueAsync("three replicas in /api/cluster", async token =>
        {
            var answer = await http.GetFromJsonAsync<JsonElement>("/api/cluster", token);
            return answer.GetProperty("nodes").GetArrayLength() == BrowserAppHostFixture.ReplicaCount ? answer : (JsonElement?)null;
        });

        Assert.Contains(cluster.GetProperty("answeredBy").GetString(), fixture.Replicas.Nodes);
        var reports = cluster.GetProperty("nodes").EnumerateArray().ToArray();
        Assert.Equal(fixture.Replicas.Nodes, reports.Select(report => report.GetProperty("node").GetString()));
        Assert.All(reports, report =>
        {
            Assert.True(report.GetProperty("connections").GetInt32() >= 0);
            Assert.True(report.GetProperty("users").GetInt32() >= 0);
            Assert.True(DateTimeOffset.UtcNow - report.GetProperty("reportedAt").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        });
    }

    private static ILocator Series(IPage page, string measure, string node) =>
        page.Locator($"[data-testid=chart-series][data-measure='{measure}'][data-node='{node}']");

    private static Regex PositiveNumber() => new(@"^(?!0$)\d");

    private async Task PublishAsync(string userId, int count)
    {
        var token = await DevTokens.IssueAsync(fixture.ApiUrl, UserSession.NewUserId("publisher"), TokenClaims.PublisherRole);
        using var http = new HttpClient { BaseAddress = fixture.ApiUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        for (var i = 1; i <= count; i++)
        {
            using var response = await http.PostAsJsonAsync(Routes.PublishToUser(userId), new { data = i });
            response.EnsureSuccessStatusCode();
        }
    }
}
