using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Limits;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Publishing;

public static partial class PublishEndpoints
{
    /// <summary>Seconds a publisher should wait before retrying when Redis is unreachable.</summary>
    public const int RetryAfterSeconds = 2;

    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private const string DataRule = "The body must be a JSON object with a \"data\" property (any JSON value).";
    private const string IdempotencyKeyRule = "Idempotency keys are 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'.";

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder endpoints)
    {
        var limits = endpoints.ServiceProvider.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var group = endpoints.MapGroup("/api/notifications")
            .RequireAuthorization(AuthPolicies.Publisher)
            .RequireRateLimiting(LimitsExtensions.PublishPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(limits.MaxPublishBodyBytes))
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
        string userId, PublishRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        NotificationPublisher publisher, NotificationsMetrics metrics, HttpResponse response)
    {
        var errors = Validate(request, idempotencyKey);
        if (!UserIds.IsValid(userId))
        {
            errors["userId"] = [UserIds.Rule];
        }

        return errors.Count > 0
            ? Invalid(errors, metrics)
            : await PublishAsync(() => publisher.PublishToUserAsync(userId, request.Data, idempotencyKey), metrics, response);
    }

    internal static async Task<Results<Accepted<PublishResponse>, ValidationProblem, ProblemHttpResult>> BroadcastAsync(
        PublishRequest request, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        NotificationPublisher publisher, NotificationsMetrics metrics, HttpResponse response)
    {
        var errors = Validate(request, idempotencyKey);
        return errors.Count > 0
            ? Invalid(errors, metrics)
            : await PublishAsync(() => publisher.BroadcastAsync(request.Data, idempotencyKey), metrics, response);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors, NotificationsMetrics metrics)
    {
        metrics.PublishRejected(TelemetryNames.RejectionReasons.Invalid);
        return TypedResults.ValidationProblem(errors);
    }

    private static Dictionary<string, string[]> Validate(PublishRequest request, string? idempotencyKey)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Data.ValueKind == JsonValueKind.Undefined)
        {
            errors["data"] = [DataRule];
        }

        if (idempotencyKey is not null && !ValidIdempotencyKey().IsMatch(idempotencyKey))
        {
            errors[IdempotencyKeyHeader] = [IdempotencyKeyRule];
        }

        return errors;
    }

    private static async Task<Results<Accepted<PublishResponse>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        Func<Task<PublishResponse>> publish, NotificationsMetrics metrics, HttpResponse response)
    {
        try
        {
            return TypedResults.Accepted((string?)null, await publish());
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            metrics.PublishRejected(TelemetryNames.RejectionReasons.Backplane);
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Backplane unavailable",
                detail: "The message was not accepted because Redis is unreachable; retry after the Retry-After delay.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._:-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidIdempotencyKey();
}
