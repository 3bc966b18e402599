using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace SignalRPeer;

/// <summary>The body AspireNotify's publish routes take: any JSON as <c>data</c>.</summary>
public sealed record PublishRequest(JsonElement Data);

/// <summary>What a client receives, as the <c>notification</c> invocation's one argument.</summary>
public sealed record Notification(string Id, JsonElement Data, DateTimeOffset Timestamp);

public static class PublishEndpoints
{
    /// <summary>The routes AspireNotify publishes through, so the bench's publisher works unchanged (it ignores the token).</summary>
    public static IEndpointRouteBuilder MapPublishEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/notifications/users/{userId}", (string userId, PublishRequest request, IHubContext<NotificationHub> hub) =>
            PublishAsync(hub.Clients.User(userId), request));
        endpoints.MapPost("/api/notifications/broadcast", (PublishRequest request, IHubContext<NotificationHub> hub) =>
            PublishAsync(hub.Clients.All, request));
        return endpoints;
    }

    /// <summary>Answers 202 once the backplane has published the message, as AspireNotify answers after Redis did.</summary>
    private static async Task<IResult> PublishAsync(IClientProxy recipients, PublishRequest request)
    {
        var notification = new Notification(Guid.NewGuid().ToString("N"), request.Data, DateTimeOffset.UtcNow);
        await recipients.SendAsync("notification", notification);
        return TypedResults.Accepted((string?)null, new { notification.Id });
    }
}
