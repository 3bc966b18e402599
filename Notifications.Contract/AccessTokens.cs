using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notifications.Contract;

/// <summary>An access token the API accepts (see <see cref="TokenClaims"/>).</summary>
public sealed record AccessToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>
/// Mints the bearer tokens the API accepts: HS256 JWTs signed with the deployment's key, with <c>sub</c>, <c>iss</c>,
/// <c>aud</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>, the roles and the topic claims. What an identity provider issues; the web app's
/// access-code sign-in, the tests and the load tool mint them here.
/// </summary>
public static class AccessTokens
{
    private static readonly string Header = Encode("""{"alg":"HS256","typ":"JWT"}"""u8);

    public static AccessToken Mint(string signingKey, string userId, IReadOnlyCollection<string> roles, DateTimeOffset now, TimeSpan lifetime,
        string issuer = TokenClaims.DefaultIssuer, string audience = TokenClaims.DefaultIssuer,
        IReadOnlyCollection<string>? topics = null, IReadOnlyCollection<string>? publishTopics = null)
    {
        var expiresAt = now + lifetime;
        var claims = new Dictionary<string, object>
        {
            [TokenClaims.Subject] = userId,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = expiresAt.ToUnixTimeSeconds(),
        };
        if (roles.Count > 0)
        {
            claims[TokenClaims.Role] = roles.ToArray();
        }

        if (topics is { Count: > 0 })
        {
            claims[TokenClaims.Topics] = topics.ToArray();
        }

        if (publishTopics is { Count: > 0 })
        {
            claims[TokenClaims.PublishTopics] = publishTopics.ToArray();
        }

        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{Header}.{payload}")));
        return new AccessToken($"{Header}.{payload}.{signature}", DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    private static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
