using System.Security.Claims;
using Notifications.Api.Auth;
using Notifications.Api.Connections;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Topics;

public static class TopicEndpoints
{
    private static readonly Refusal NotAllowedToWatch = new(StatusCodes.Status403Forbidden, TelemetryNames.RejectionReasons.TopicForbidden,
        "Topic forbidden", "Presence is for publishers and for tokens whose \"topics\" claim allows the topic.");

    public static IEndpointRouteBuilder MapNotificationsTopics(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(Routes.Topics)
            .RequireAuthorization()
            .WithTags("Topics");
        group.MapGet(Routes.TopicPresenceTemplate, GetPresenceAsync)
            .Produces<TopicPresence>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("GetTopicPresence")
            .WithSummary("The connections subscribed to a topic and the distinct users behind them, across the cluster (as of the replicas' last reports).");
        group.MapPut(Routes.TopicPresenceEventsTemplate, SetPresenceEventsAsync)
            .RequireAuthorization(AuthPolicies.Publisher)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("SetTopicPresenceEvents")
            .WithSummary("Switches join/leave notifications of a topic on or off (published into the topic's stream).");
        return endpoints;
    }

    /// <summary>For a publisher, or a user who may subscribe to the topic. Redis failures are answered 503 by the exception handler.</summary>
    internal static async Task<IResult> GetPresenceAsync(string topic, HttpContext context, TopicPolicy policy, TopicPresenceDirectory directory,
        NodeIdentity node, TimeProvider time, RefusalWriter refusals)
    {
        var refusal = policy.CheckName(topic) is { } invalid ? TopicRefusals.Of(invalid)
            : MayWatch(context.User, topic) ? null
            : NotAllowedToWatch;
        return refusal is null
            ? TypedResults.Ok(await directory.ReadAsync(topic, node.Name, time.GetUtcNow()))
            : refusals.Answer(context, refusal);
    }

    internal static async Task<IResult> SetPresenceEventsAsync(string topic, PresenceEventsRequest request, HttpContext context, PublishGrant grant,
        PresenceEvents presence, RefusalWriter refusals)
    {
        if (grant.Check(context.User, topic) is { } problem)
        {
            return refusals.Answer(context, TopicRefusals.Of(problem));
        }

        await presence.SetEnabledAsync(topic, request.Enabled);
        return TypedResults.NoContent();
    }

    private static bool MayWatch(ClaimsPrincipal user, string topic) =>
        user.IsInRole(Roles.Publisher) || TopicPatterns.MatchesAny(TopicClaims.Read(user.Claims, TokenClaims.Topics), topic);
}
