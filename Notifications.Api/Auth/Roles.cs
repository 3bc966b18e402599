namespace Notifications.Api.Auth;

public static class Roles
{
    /// <summary>May call the publish API.</summary>
    public const string Publisher = "publisher";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { Publisher };
}

public static class AuthPolicies
{
    public const string Publisher = "publisher";
}

public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Role = "role";
}
