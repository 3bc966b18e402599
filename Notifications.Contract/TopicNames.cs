using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Notifications.Contract;

/// <summary>
/// Topic names become stream names, Redis key hash tags and channel names, so their alphabet is closed: the user-id
/// alphabet. A deployment may lower the length (the API's <c>Limits:MaxTopicNameLength</c>), never raise it.
/// </summary>
public static partial class TopicNames
{
    public const int MaxLength = 128;
    public const string Pattern = @"^[A-Za-z0-9._@-]{1,128}$";
    public const string Rule = "Topic names are 1 to 128 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'.";

    public static bool IsValid([NotNullWhen(true)] string? topic) => topic is not null && ValidTopic().IsMatch(topic);

    // Pattern ends in $, which also matches before a final newline; \z does not.
    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,128}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidTopic();
}
