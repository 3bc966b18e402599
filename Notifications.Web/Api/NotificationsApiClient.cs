using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Notifications.Web.Api;

/// <summary>
/// Talks to notifications-api from the web server, through Aspire service discovery and the standard resilience
/// handler (retries, timeouts, circuit breaker) that the service defaults put on every HttpClient.
/// </summary>
public sealed class NotificationsApiClient(HttpClient http)
{
    /// <summary>A token from the API's development endpoint, which exists in Development only.</summary>
    public Task<ApiResult<DevTokenResponse>> IssueDevTokenAsync(string userId, string[] roles, string[] topics, CancellationToken cancellationToken) =>
        SendAsync<DevTokenResponse>(new HttpRequestMessage(HttpMethod.Post, Routes.DevToken)
        {
            Content = JsonContent.Create(new DevTokenRequest(userId, roles, topics.Length > 0 ? topics : null)),
        }, cancellationToken);

    /// <summary>
    /// Publishes <paramref name="data"/> to one user, or to everyone when <paramref name="userId"/> is null. The
    /// idempotency key makes the resilience handler's retries safe: a retried publish is not stored twice.
    /// </summary>
    public Task<ApiResult<PublishResponse>> PublishAsync(string accessToken, string? userId, JsonElement data, string idempotencyKey,
        CancellationToken cancellationToken) =>
        PublishToAsync(userId is null ? Routes.Broadcast : Routes.PublishToUser(userId), accessToken, data, idempotencyKey, cancellationToken);

    /// <summary>Publishes <paramref name="data"/> to the subscribers of <paramref name="topic"/>, with the same idempotency.</summary>
    public Task<ApiResult<PublishResponse>> PublishToTopicAsync(string accessToken, string topic, JsonElement data, string idempotencyKey,
        CancellationToken cancellationToken) =>
        PublishToAsync(Routes.PublishToTopic(topic), accessToken, data, idempotencyKey, cancellationToken);

    /// <summary>The connections and distinct users subscribed to <paramref name="topic"/> across the cluster.</summary>
    public Task<ApiResult<TopicPresence>> GetTopicPresenceAsync(string accessToken, string topic, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Routes.TopicPresence(topic));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return SendAsync<TopicPresence>(request, cancellationToken);
    }

    private Task<ApiResult<PublishResponse>> PublishToAsync(string path, string accessToken, JsonElement data, string idempotencyKey,
        CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new PublishRequest(data)) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add(Routes.IdempotencyKeyHeader, idempotencyKey);
        return SendAsync<PublishResponse>(request, cancellationToken);
    }

    public Task<ApiResult<ClusterView>> GetClusterAsync(CancellationToken cancellationToken) =>
        SendAsync<ClusterView>(new HttpRequestMessage(HttpMethod.Get, Routes.Cluster), cancellationToken);

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken) where T : class
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return ApiResult.Failure<T>(await ApiErrors.DescribeAsync(response, cancellationToken));
                }

                return await response.Content.ReadFromJsonAsync<T>(cancellationToken) is { } value
                    ? ApiResult.Success(value)
                    : ApiResult.Failure<T>($"The API answered {(int)response.StatusCode} without a body.");
            }
            catch (Exception exception) when (ApiErrors.IsUnreachable(exception, cancellationToken))
            {
                return ApiResult.Failure<T>($"The API did not answer: {exception.Message}");
            }
        }
    }
}

public static class NotificationsApiClientExtensions
{
    /// <summary>The service-discovery name of the API, as the AppHost names the resource.</summary>
    public const string ServiceName = ServiceNames.Api;

    /// <summary>
    /// The API over https when service discovery knows an https address for it (Container Apps, where plain http is
    /// redirected), else over http (the AppHost's local replicas).
    /// </summary>
    public static IHostApplicationBuilder AddNotificationsApiClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<NotificationsApiClient>(http => http.BaseAddress = new Uri($"https+http://{ServiceName}"));
        return builder;
    }
}
