using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notifications.Processes;

/// <summary>
/// Mints HS256 tokens with the key the harness gives its replicas, as an identity provider would, so no token endpoint
/// (Development only) is in the way.
/// </summary>
public static class Tokens
{
    public const string SigningKey = "bench-signing-key-0123456789abcdef0123456789";

    public static string For(string userId, bool publisher = false)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode("""{"alg":"HS256","typ":"JWT"}"""u8);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["iss"] = "aspire-notify",
            ["aud"] = "aspire-notify",
            ["iat"] = now,
            ["nbf"] = now - 60,
            ["exp"] = now + 24 * 3600,
        };
        if (publisher)
        {
            claims["role"] = new[] { "publisher" };
        }

        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SigningKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
