using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Topics;

/// <summary>A topic problem of an HTTP request (publish, presence) as the refusal it is answered with.</summary>
public static class TopicRefusals
{
    public static Refusal Of(TopicProblem problem) => problem.Code == ErrorCodes.TopicForbidden
        ? new Refusal(StatusCodes.Status403Forbidden, TelemetryNames.RejectionReasons.TopicForbidden, "Topic forbidden", problem.Detail)
        : Refusal.Invalid(new Dictionary<string, string[]> { [FrameFields.Topic] = [problem.Detail] });

    /// <summary>The batch item error of a topic problem.</summary>
    public static BatchItemError ItemError(TopicProblem problem) => new(
        problem.Code == ErrorCodes.TopicForbidden ? BatchErrorCodes.TopicForbidden : BatchErrorCodes.InvalidTopic, problem.Detail);
}
