using System.Security.Claims;

namespace Notifications.Api.Topics;

/// <summary>
/// Whether a publisher (the caller already has the publisher role) may publish to a topic: a name this deployment
/// accepts, and, when the token has a <see cref="TokenClaims.PublishTopics"/> claim, one of its patterns matches it.
/// </summary>
public sealed class PublishGrant(TopicPolicy policy)
{
    public TopicProblem? Check(ClaimsPrincipal publisher, string topic)
    {
        if (policy.CheckName(topic) is { } invalid)
        {
            return invalid;
        }

        var patterns = TopicClaims.Read(publisher.Claims, TokenClaims.PublishTopics);
        return patterns.Count == 0 || TopicPatterns.MatchesAny(patterns, topic)
            ? null
            : new TopicProblem(ErrorCodes.TopicForbidden, $"The token's \"{TokenClaims.PublishTopics}\" claim does not allow topic '{topic}'.");
    }
}
