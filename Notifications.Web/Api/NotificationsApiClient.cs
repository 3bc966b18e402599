using System.Net.Http.Json;

namespace Notifications.Web.Api;

public sealed record ConnectionCounts(int Total, int Users);

public sealed record WebSocketHealth(bool Healthy, string Node, ConnectionCounts Connections, DateTimeOffset Timestamp);

/// <summary>Talks to notifications-api through Aspire service discovery.</summary>
public sealed class NotificationsApiClient(HttpClient http)
{
    public Uri? BaseAddress => http.BaseAddress;

    public Task<WebSocketHealth?> GetWebSocketHealthAsync(CancellationToken cancellationToken) =>
        http.GetFromJsonAsync<WebSocketHealth>("/health/websocket", cancellationToken);
}

public static class NotificationsApiClientExtensions
{
    /// <summary>The service-discovery name of the API, as the AppHost names the resource.</summary>
    public const string ServiceName = "notifications-api";

    public static IHostApplicationBuilder AddNotificationsApiClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient<NotificationsApiClient>(http => http.BaseAddress = new Uri($"http://{ServiceName}"));
        return builder;
    }
}
