using Microsoft.AspNetCore.Mvc;
using Notifications.Api.Auth;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;
using Notifications.Api.Topics;

namespace Notifications.Api.Publishing;

public static class PublishEndpoints
{
    public static IEndpointRouteBuilder MapNotificationsPublishing(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Notifications)
            .RequireAuthorization(AuthPolicies.Publisher)
            .RequireRateLimiting(LimitsExtensions.PublishPolicy)
            .WithMetadata(RefusalArea.Publishes)
            .WithTags("Publishing");

        group.MapPost(Routes.PublishToUserTemplate, PublishToUserAsync)
            .DescribePublish()
            .WithName("PublishToUser")
            .WithSummary("Sends a notification to every connection of one user, on any replica.");
        group.MapPost(Routes.BroadcastPath, BroadcastAsync)
            .DescribePublish()
            .WithName("Broadcast")
            .WithSummary("Sends a notification to every connection on every replica.");
        group.MapPost(Routes.PublishToTopicTemplate, PublishToTopicAsync)
            .DescribePublish()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("PublishToTopic")
            .WithSummary("Sends a notification to every connection subscribed to one topic, on any replica.");
        group.MapPost(Routes.BatchPath, PublishBatchAsync)
            .DescribeBatch()
            .WithName("PublishBatch")
            .WithSummary("Sends many notifications, each to a user, a topic or everyone, in one request; answers each in order.");
        return endpoints;
    }

    internal static async Task<IResult> PublishToUserAsync(string userId, HttpRequest request,
        [FromHeader(Name = Routes.IdempotencyKeyHeader)] string? idempotencyKey, PublishRequestReader reader, NotificationPublisher publisher,
        RefusalWriter refusals)
    {
        var (body, refusal) = await reader.ReadAsync(request);
        refusal ??= CheckIdempotencyKey(idempotencyKey) ?? (UserIds.IsValid(userId)
            ? null
            : Refusal.Invalid(new Dictionary<string, string[]> { ["userId"] = [UserIds.Rule] }));
        return refusal is null
            ? TypedResults.Accepted((string?)null, await publisher.PublishToUserAsync(userId, body!.Data, idempotencyKey))
            : refusals.Answer(request.HttpContext, refusal);
    }

    internal static async Task<IResult> PublishToTopicAsync(string topic, HttpRequest request,
        [FromHeader(Name = Routes.IdempotencyKeyHeader)] string? idempotencyKey, PublishRequestReader reader, NotificationPublisher publisher,
        PublishGrant grant, RefusalWriter refusals)
    {
        var (body, refusal) = await reader.ReadAsync(request);
        refusal ??= CheckIdempotencyKey(idempotencyKey)
            ?? (grant.Check(request.HttpContext.User, topic) is { } problem ? TopicRefusals.Of(problem) : null);
        return refusal is null
            ? TypedResults.Accepted((string?)null, await publisher.PublishToTopicAsync(topic, body!.Data, idempotencyKey))
            : refusals.Answer(request.HttpContext, refusal);
    }

    internal static async Task<IResult> BroadcastAsync(HttpRequest request,
        [FromHeader(Name = Routes.IdempotencyKeyHeader)] string? idempotencyKey, PublishRequestReader reader, NotificationPublisher publisher,
        RefusalWriter refusals)
    {
        var (body, refusal) = await reader.ReadAsync(request);
        refusal ??= CheckIdempotencyKey(idempotencyKey);
        return refusal is null
            ? TypedResults.Accepted((string?)null, await publisher.BroadcastAsync(body!.Data, idempotencyKey))
            : refusals.Answer(request.HttpContext, refusal);
    }

    /// <summary>
    /// 200 once the batch itself is valid, each message with its own result (stored, or an error); 503 when Redis stored
    /// none of its streams.
    /// </summary>
    internal static async Task<IResult> PublishBatchAsync(HttpRequest request, PublishRequestReader reader, BatchPublisher publisher,
        PublishGrant grant, RefusalWriter refusals)
    {
        var (body, refusal) = await reader.ReadBatchAsync(request);
        var user = request.HttpContext.User;
        return refusal is null
            ? TypedResults.Ok(await publisher.PublishAsync(body!.Messages!,
                topic => grant.Check(user, topic) is { } problem ? TopicRefusals.ItemError(problem) : null))
            : refusals.Answer(request.HttpContext, refusal);
    }

    /// <summary>
    /// The body is read by <see cref="PublishRequestReader"/>, not declared: a declared content type would let routing
    /// answer a wrong one with a bare 415, outside the refusals.
    /// </summary>
    private static RouteHandlerBuilder DescribePublish(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<PublishResponse>(StatusCodes.Status202Accepted)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static RouteHandlerBuilder DescribeBatch(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<PublishBatchResponse>(StatusCodes.Status200OK)
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static Refusal? CheckIdempotencyKey(string? idempotencyKey) =>
        idempotencyKey is null || IdempotencyKeys.IsValid(idempotencyKey)
            ? null
            : Refusal.Invalid(new Dictionary<string, string[]> { [Routes.IdempotencyKeyHeader] = [IdempotencyKeys.Rule] });
}
