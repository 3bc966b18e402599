using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Notifications.Contract;

namespace Notifications.Client;

/// <summary>
/// The publish API for a backend, over an <see cref="HttpClient"/> whose base address is the API: one message to a
/// user, one to a topic, one to everyone, or a batch of them. A refused request throws <see cref="PublishRefusedException"/>; a batch
/// that was accepted answers each message, stored or not, in <see cref="PublishBatchResponse.Results"/>.
/// </summary>
/// <param name="accessTokenProvider">A token with the publisher role, asked for before every request.</param>
public sealed class NotificationPublisher(HttpClient http, Func<CancellationToken, ValueTask<string>> accessTokenProvider)
{
    public Task<PublishResponse> PublishToUserAsync(string userId, JsonElement data, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        PublishAsync(Routes.PublishToUser(userId), data, idempotencyKey, cancellationToken);

    /// <summary>To every connection subscribed to <paramref name="topic"/>; the token may limit topics (<c>publish_topics</c>).</summary>
    public Task<PublishResponse> PublishToTopicAsync(string topic, JsonElement data, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        PublishAsync(Routes.PublishToTopic(topic), data, idempotencyKey, cancellationToken);

    public Task<PublishResponse> BroadcastAsync(JsonElement data, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        PublishAsync(Routes.Broadcast, data, idempotencyKey, cancellationToken);

    /// <summary>
    /// Sends many messages in one request (at most the server's <c>Limits:MaxBatchMessages</c>). Retrying a batch is
    /// safe for the messages that carry an idempotency key: they answer their first publish again.
    /// </summary>
    public async Task<PublishBatchResponse> PublishBatchAsync(IReadOnlyList<BatchMessage> messages, CancellationToken cancellationToken = default)
    {
        using var request = await RequestAsync(Routes.PublishBatch,
            JsonContent.Create(new PublishBatchRequest(messages), PublisherJsonContext.Default.PublishBatchRequest), cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, PublisherJsonContext.Default.PublishBatchResponse, cancellationToken);
    }

    private async Task<PublishResponse> PublishAsync(string path, JsonElement data, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(path, JsonContent.Create(new PublishRequest(data), PublisherJsonContext.Default.PublishRequest),
            cancellationToken);
        if (idempotencyKey is not null)
        {
            request.Headers.Add(Routes.IdempotencyKeyHeader, idempotencyKey);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, PublisherJsonContext.Default.PublishResponse, cancellationToken);
    }

    private async Task<HttpRequestMessage> RequestAsync(string path, HttpContent content, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await accessTokenProvider(cancellationToken));
        return request;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await PublishRefusedException.FromAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new InvalidOperationException($"The API answered {(int)response.StatusCode} without a body.");
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(PublishBatchRequest))]
[JsonSerializable(typeof(PublishBatchResponse))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class PublisherJsonContext : JsonSerializerContext;
