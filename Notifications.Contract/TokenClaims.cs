namespace Notifications.Contract;

/// <summary>What the API reads from a bearer token (HS256 JWT): the user, the roles it grants and the topics it opens.</summary>
public static class TokenClaims
{
    /// <summary>The user id (<see cref="UserIds"/>).</summary>
    public const string Subject = "sub";

    public const string Role = "role";

    /// <summary>The role that may call the publish API.</summary>
    public const string PublisherRole = "publisher";

    /// <summary>
    /// A JSON array of topic names or patterns (<see cref="TopicPatterns"/>) the user may subscribe to; without it, none.
    /// </summary>
    public const string Topics = "topics";

    /// <summary>
    /// A JSON array of patterns a publisher may publish to topics matching; without it, a publisher may publish to any
    /// topic.
    /// </summary>
    public const string PublishTopics = "publish_topics";

    /// <summary>Issuer and audience unless the deployment configures others (<c>Auth:Issuer</c>, <c>Auth:Audience</c>).</summary>
    public const string DefaultIssuer = "aspire-notify";
}
