using Microsoft.Extensions.Options;
using Notifications.Api.Limits;

namespace Notifications.Api.Topics;

/// <summary>
/// Which topics a connection may read: names of the contract's alphabet within this deployment's length, no more than
/// <c>Limits:MaxTopicsPerConnection</c> at once, each allowed by the token's <see cref="TokenClaims.Topics"/> patterns.
/// The one set of rules behind <c>?topics=</c> (answered by a refusal) and <c>subscribe</c> (answered by an error frame).
/// </summary>
public sealed class TopicPolicy(IOptions<LimitsOptions> limits)
{
    public int MaxTopics => limits.Value.MaxTopicsPerConnection;

    public TopicProblem? CheckName(string? topic)
    {
        var maxLength = limits.Value.MaxTopicNameLength;
        return !TopicNames.IsValid(topic)
            ? new TopicProblem(ErrorCodes.InvalidTopic, TopicNames.Rule)
            : topic.Length > maxLength
                ? new TopicProblem(ErrorCodes.InvalidTopic, $"Topic names are limited to {maxLength} characters here (Limits:MaxTopicNameLength).")
                : null;
    }

    public TopicProblem? CheckCount(int topicsAfter) => topicsAfter > MaxTopics
        ? new TopicProblem(ErrorCodes.TooManyTopics, $"A connection reads at most {MaxTopics} topics (Limits:MaxTopicsPerConnection).")
        : null;

    public static TopicProblem? CheckAllowed(string topic, IReadOnlyList<string> patterns) => TopicPatterns.MatchesAny(patterns, topic)
        ? null
        : new TopicProblem(ErrorCodes.TopicForbidden, $"The token's \"{TokenClaims.Topics}\" claim does not allow topic '{topic}'.");

    /// <summary>The topics of a <c>?topics=a,b</c> query, in its order, or the first problem with them.</summary>
    public (IReadOnlyList<string> Topics, TopicProblem? Problem) ParseQuery(string? query, IReadOnlyList<string> patterns)
    {
        if (string.IsNullOrEmpty(query))
        {
            return ([], null);
        }

        var topics = query.Split(',');
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var problem = CheckName(topic)
                ?? (seen.Add(topic) ? null : new TopicProblem(ErrorCodes.InvalidTopic, $"Topic '{topic}' appears twice."));
            if (problem is not null)
            {
                return ([], problem);
            }
        }

        var tooMany = CheckCount(topics.Length);
        return tooMany is not null
            ? ([], tooMany)
            : (topics, topics.Select(topic => CheckAllowed(topic, patterns)).FirstOrDefault(problem => problem is not null));
    }
}
