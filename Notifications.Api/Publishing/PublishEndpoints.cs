using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Notifications.Api.Auth;
using StackExchange.Redis;

namespace Notifications.Api.Publishing;

public static class PublishEndpoints
{
    /// <summary>Seconds a publisher should wait before retrying when Redis is unreachable.</summary>
    public const int RetryAfterSeconds = 2;

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/notifications")
            .RequireAuthorization(AuthPolicies.Publisher)
            .WithTags("Publishing");

        group.MapPost("/users/{userId}", PublishToUserAsync)
            .WithName("PublishToUser")
            .WithSummary("Sends a notification to every connection of one user, on any replica.");
        group.MapPost("/broadcast", BroadcastAsync)
            .WithName("Broadcast")
            .WithSummary("Sends a notification to every connection on every replica.");
        return endpoints;
    }

    internal static async Task<Results<Accepted<PublishResponse>, ValidationProblem, ProblemHttpResult>> PublishToUserAsync(
        string userId, PublishRequest request, NotificationPublisher publisher, HttpResponse response)
    {
        var errors = new Dictionary<string, string[]>();
        if (!UserIds.IsValid(userId))
        {
            errors["userId"] = [UserIds.Rule];
        }

        if (!HasData(request))
        {
            errors["data"] = [DataRule];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await PublishAsync(() => publisher.PublishToUserAsync(userId, request.Data), response);
    }

    internal static async Task<Results<Accepted<PublishResponse>, ValidationProblem, ProblemHttpResult>> BroadcastAsync(
        PublishRequest request, NotificationPublisher publisher, HttpResponse response)
    {
        if (!HasData(request))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["data"] = [DataRule] });
        }

        return await PublishAsync(() => publisher.BroadcastAsync(request.Data), response);
    }

    private const string DataRule = "The body must be a JSON object with a \"data\" property (any JSON value).";

    private static bool HasData(PublishRequest request) => request.Data.ValueKind != JsonValueKind.Undefined;

    private static async Task<Results<Accepted<PublishResponse>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        Func<Task<PublishResponse>> publish, HttpResponse response)
    {
        try
        {
            return TypedResults.Accepted((string?)null, await publish());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Backplane unavailable",
                detail: "The message was not accepted because Redis is unreachable; retry after the Retry-After delay.");
        }
    }
}
