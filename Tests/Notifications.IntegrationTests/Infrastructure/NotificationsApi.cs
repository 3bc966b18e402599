using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>The HTTP side of the API as a publisher or an operator uses it.</summary>
/// <param name="tokens">Where tokens come from: minted with the deployment's key (outside Development), or the dev endpoint.</param>
public sealed class NotificationsApi(Uri baseAddress, Func<string, string[], Task<string>>? tokens = null)
{
    /// <summary>For replicas started by <see cref="LocalCluster"/>, which validate <see cref="Tokens"/>.</summary>
    public static NotificationsApi WithMintedTokens(Uri baseAddress) =>
        new(baseAddress, (userId, roles) => Task.FromResult(Tokens.For(userId, publisher: roles.Contains(TokenClaims.PublisherRole))));

    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>A client on a fresh TCP connection: the Aspire proxy picks a replica per connection.</summary>
    public HttpClient NewClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 1,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    })
    { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public Task<string> TokenAsync(string userId, params string[] roles) =>
        tokens is null ? DevTokens.IssueAsync(BaseAddress, userId, roles) : tokens(userId, roles);

    /// <summary>A development token with topic claims: <paramref name="topics"/> to subscribe, <paramref name="publishTopics"/> to publish.</summary>
    public Task<string> TopicTokenAsync(string userId, string[] topics, string[]? publishTopics = null, params string[] roles) =>
        DevTokens.IssueAsync(BaseAddress, new DevTokenRequest(userId, roles, topics, publishTopics));

    public static Task<HttpResponseMessage> PublishToTopicAsync(HttpClient http, string? token, string topic, object body) =>
        PostAsync(http, token, Routes.PublishToTopic(topic), body);

    /// <summary>
    /// A client whose single keep-alive connection landed on <paramref name="node"/>, so every request it sends
    /// is served by that replica.
    /// </summary>
    public async Task<HttpClient> PinnedToAsync(string node)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            var http = NewClient();
            if (await NodeOfAsync(http) == node)
            {
                return http;
            }

            http.Dispose();
        }

        throw new InvalidOperationException($"No connection through the proxy reached {node} in 60 attempts.");
    }

    public static async Task<string> NodeOfAsync(HttpClient http)
    {
        var health = await http.GetFromJsonAsync<JsonElement>("/health/websocket");
        return health.GetProperty("node").GetString()!;
    }

    public static Task<HttpResponseMessage> PublishToUserAsync(HttpClient http, string? token, string userId, object body, string? idempotencyKey = null) =>
        PostAsync(http, token, Routes.PublishToUser(userId), body, idempotencyKey);

    public static Task<HttpResponseMessage> BroadcastAsync(HttpClient http, string? token, object body) =>
        PostAsync(http, token, Routes.Broadcast, body);

    public static Task<HttpResponseMessage> PublishBatchAsync(HttpClient http, string? token, object body) =>
        PostAsync(http, token, Routes.PublishBatch, body);

    /// <summary>Reads a 202 answer and returns the accepted message id.</summary>
    public static async Task<string> AcceptedIdAsync(HttpResponseMessage response, string expectedStream)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expectedStream, body.GetProperty("stream").GetString());
        Assert.True(body.GetProperty("seq").GetInt64() > 0);
        return body.GetProperty("id").GetString()!;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string? token, string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Routes.IdempotencyKeyHeader, idempotencyKey);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http.SendAsync(request);
    }
}
