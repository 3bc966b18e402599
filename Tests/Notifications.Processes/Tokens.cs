namespace Notifications.Processes;

/// <summary>
/// Tokens signed with the key the harness gives its replicas, as an identity provider would mint them, so no token
/// endpoint (Development only) is in the way.
/// </summary>
public static class Tokens
{
    public const string SigningKey = "bench-signing-key-0123456789abcdef0123456789";

    public static string For(string userId, bool publisher = false) =>
        AccessTokens.Mint(SigningKey, userId, publisher ? [TokenClaims.PublisherRole] : [], DateTimeOffset.UtcNow.AddSeconds(-60),
            TimeSpan.FromHours(24)).Value;
}
