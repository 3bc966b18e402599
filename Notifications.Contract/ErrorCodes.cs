namespace Notifications.Contract;

/// <summary>
/// The <c>code</c> of an <c>error</c> frame (docs/protocol.md, "Topics"): the request it answers failed, the connection
/// stays open. Clients treat a code they do not know as a failure that a retry will not fix.
/// </summary>
public static class ErrorCodes
{
    /// <summary>Not a topic name, longer than the server allows, or a malformed <c>since</c>/<c>epoch</c>.</summary>
    public const string InvalidTopic = "invalid_topic";

    /// <summary>The token's <c>topics</c> claim does not allow this topic.</summary>
    public const string TopicForbidden = "topic_forbidden";

    /// <summary>The connection already has as many topics as the server allows.</summary>
    public const string TooManyTopics = "too_many_topics";

    public const string AlreadySubscribed = "already_subscribed";

    public const string NotSubscribed = "not_subscribed";

    /// <summary>More subscribes and unsubscribes than the server allows per second; wait and retry.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>Redis did not answer; the connection is unchanged: retry.</summary>
    public const string BackplaneUnavailable = "backplane_unavailable";
}
