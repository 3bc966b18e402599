namespace Notifications.Api.Auth;

/// <summary>The authorization policies of the API's endpoints.</summary>
public static class AuthPolicies
{
    public const string Publisher = "publisher";
}
