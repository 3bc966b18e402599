namespace Notifications.Api.Auth;

public static class Roles
{
    /// <summary>May call the publish API.</summary>
    public const string Publisher = TokenClaims.PublisherRole;

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { Publisher };
}
