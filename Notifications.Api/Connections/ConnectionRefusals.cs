using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;
using Notifications.Api.Topics;

namespace Notifications.Api.Connections;

/// <summary>
/// Every way <c>GET /ws</c> can be turned away before the upgrade, and <c>GET /sse</c> before its event stream starts
/// (docs/protocol.md, "Refusals").
/// </summary>
public static class ConnectionRefusals
{
    public static Refusal NotWebSocket { get; } = new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.NotWebSocket,
        "WebSocket upgrade required", "GET /ws must be a WebSocket upgrade request.");

    public static Refusal Origin { get; } = new(StatusCodes.Status403Forbidden, TelemetryNames.RejectionReasons.Origin,
        "Origin not allowed", "Pages from this origin may not open notification sockets.");

    public static Refusal Unauthenticated { get; } = Refusal.Unauthenticated with
    {
        Detail = "A valid bearer token is required, in the Authorization header or the access_token query parameter.",
    };

    public static Refusal Draining { get; } = Unavailable(TelemetryNames.RejectionReasons.Draining, "Replica draining");

    public static Refusal NotReady { get; } = Unavailable(TelemetryNames.RejectionReasons.NotReady, "Replica not ready");

    public static Refusal Capacity { get; } = Unavailable(TelemetryNames.RejectionReasons.Capacity, "Replica at capacity");

    public static Refusal RateLimited(int retryAfterSeconds) =>
        Refusal.RateLimited(retryAfterSeconds, "Too many connection attempts from this address; retry after the Retry-After delay.");

    public static Refusal ResumePosition(string problem) => new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.ResumePosition,
        "Invalid resume position", problem);

    /// <summary>A topic of <c>?topics=</c> that cannot be granted: 400 for a bad name or too many, 403 when the token forbids it.</summary>
    public static Refusal Topic(TopicProblem problem) => problem.Code switch
    {
        ErrorCodes.TopicForbidden => new(StatusCodes.Status403Forbidden, TelemetryNames.RejectionReasons.TopicForbidden, "Topic forbidden", problem.Detail),
        ErrorCodes.TooManyTopics => new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.TooManyTopics, "Too many topics", problem.Detail),
        _ => new(StatusCodes.Status400BadRequest, TelemetryNames.RejectionReasons.InvalidTopic, "Invalid topic", problem.Detail),
    };

    public static Refusal UserLimit(int limit) => new(StatusCodes.Status429TooManyRequests, TelemetryNames.RejectionReasons.UserLimit,
        "Too many connections", $"This user already holds {limit} connections; close one first.")
    {
        RetryAfterSeconds = 5,
    };

    private static Refusal Unavailable(string reason, string title) => new(StatusCodes.Status503ServiceUnavailable, reason, title,
        "This replica cannot take the connection; connect again and the load balancer picks another.")
    {
        RetryAfterSeconds = 1,
    };
}
