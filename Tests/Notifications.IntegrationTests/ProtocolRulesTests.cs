using System.Net;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// Who may connect and publish, and how the server answers frames: rules of one replica that do not depend on the
/// backplane or on how many replicas there are, so they run once, on an in-process replica.
/// </summary>
public sealed class ProtocolRulesTests(InProcessApi replica) : IClassFixture<InProcessApi>
{
    private NotificationsApi Api => replica.Api;

    [Fact]
    public async Task Upgrades_without_a_valid_token_get_401_and_the_header_works_as_well_as_the_query()
    {
        Assert.Equal(401, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, null)));
        Assert.Equal(401, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, "not-a-token")));
        Assert.Equal(401, await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, null),
            new Dictionary<string, string> { ["Authorization"] = "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9." }));

        var token = await Api.TokenAsync(NewUserId("h"));
        await using var viaHeader = await NotificationSocket.ConnectAsync(Api.BaseAddress, token, tokenInHeader: true);
        Assert.False(string.IsNullOrEmpty(viaHeader.Node));
    }

    [Fact]
    public async Task A_foreign_origin_gets_403_even_with_a_valid_token()
    {
        var token = await Api.TokenAsync(NewUserId("o"));
        var status = await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(Api.BaseAddress, token),
            new Dictionary<string, string> { ["Origin"] = "https://evil.example" });
        Assert.Equal(403, status);
    }

    [Fact]
    public async Task Publishing_needs_a_token_with_the_publisher_role()
    {
        using var http = Api.NewClient();
        var user = NewUserId("p");
        var plainToken = await Api.TokenAsync(user);

        using var anonymous = await NotificationsApi.PublishToUserAsync(http, null, user, new { data = 1 });
        using var notPublisher = await NotificationsApi.PublishToUserAsync(http, plainToken, user, new { data = 1 });
        using var broadcastNotPublisher = await NotificationsApi.BroadcastAsync(http, plainToken, new { data = 1 });
        // The query-string token is for browsers opening /ws only.
        using var queryToken = await http.PostAsync($"/api/notifications/broadcast?access_token={await Api.TokenAsync(user, "publisher")}",
            new StringContent("""{"data":1}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notPublisher.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, broadcastNotPublisher.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, queryToken.StatusCode);
    }

    [Fact]
    public async Task Bad_publish_and_token_requests_get_400_with_the_reason()
    {
        using var http = Api.NewClient();
        var token = await Api.TokenAsync(NewUserId("publisher"), "publisher");

        using var badUser = await NotificationsApi.PublishToUserAsync(http, token, "no spaces allowed", new { data = 1 });
        using var noData = await NotificationsApi.PublishToUserAsync(http, token, "alice", new { other = 1 });
        using var badTokenRequest = await http.PostAsync("/auth/dev-token",
            new StringContent("""{"userId":"a:b","roles":["admin"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, badUser.StatusCode);
        Assert.Contains("userId", await badUser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noData.StatusCode);
        Assert.Contains("data", await noData.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badTokenRequest.StatusCode);
        var problem = await badTokenRequest.Content.ReadAsStringAsync();
        Assert.Contains("userId", problem, StringComparison.Ordinal);
        Assert.Contains("roles", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ping_is_answered_with_a_pong_echoing_t()
    {
        await using var socket = await NotificationSocket.ConnectAsync(Api.BaseAddress, await Api.TokenAsync(NewUserId("ping")));
        await socket.SendTextAsync("""{"type":"ping","t":{"sent":1733000000000}}""");

        var pong = await socket.NextAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(1733000000000, pong.GetProperty("t").GetProperty("sent").GetInt64());
    }

    [Theory]
    [InlineData("binary", 1003)]
    [InlineData("not json", 1007)]
    [InlineData("too big", 1009)]
    public async Task A_bad_client_frame_closes_only_that_connection_with_its_code(string kind, int expectedCode)
    {
        var token = await Api.TokenAsync(NewUserId("bad"));
        await using var bystander = await NotificationSocket.ConnectAsync(Api.BaseAddress, token);
        await using var offender = await NotificationSocket.ConnectAsync(Api.BaseAddress, token);

        switch (kind)
        {
            case "binary":
                await offender.SendAsync([1, 2, 3], System.Net.WebSockets.WebSocketMessageType.Binary);
                break;
            case "not json":
                await offender.SendTextAsync("hello?");
                break;
            default:
                await offender.SendTextAsync($$"""{"type":"ping","t":"{{new string('x', 5000)}}"}""");
                break;
        }

        Assert.Equal(expectedCode, (int?)await offender.ClosedByServerAsync());
        await bystander.SendTextAsync("""{"type":"ping","t":1}""");
        Assert.Equal("pong", (await bystander.NextAsync()).GetProperty("type").GetString());
    }

    private static string NewUserId(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
