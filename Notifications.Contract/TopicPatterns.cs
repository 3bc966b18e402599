namespace Notifications.Contract;

/// <summary>
/// The patterns of the <see cref="TokenClaims.Topics"/> and <see cref="TokenClaims.PublishTopics"/> claims: a topic name
/// in which <c>*</c> matches any run of name characters, the empty run included (<c>order-*</c>, <c>*</c>,
/// <c>team-*-admins</c>). Every other character matches itself, case-sensitively.
/// </summary>
public static class TopicPatterns
{
    public const char Wildcard = '*';

    public static bool Matches(string pattern, string topic) => Matches(pattern.AsSpan(), topic.AsSpan());

    /// <summary>Whether any of <paramref name="patterns"/> matches <paramref name="topic"/>.</summary>
    public static bool MatchesAny(IEnumerable<string> patterns, string topic) => patterns.Any(pattern => Matches(pattern, topic));

    /// <summary>Greedy matching with backtracking to the last star: linear for one star, never exponential.</summary>
    private static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> topic)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < topic.Length)
        {
            if (p < pattern.Length && pattern[p] == Wildcard)
            {
                (star, resume) = (p++, t);
            }
            else if (p < pattern.Length && pattern[p] == topic[t])
            {
                (p, t) = (p + 1, t + 1);
            }
            else if (star >= 0)
            {
                (p, t) = (star + 1, ++resume);
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == Wildcard)
        {
            p++;
        }

        return p == pattern.Length;
    }
}
