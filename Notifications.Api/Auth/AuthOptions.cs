using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Auth;

/// <summary>How bearer tokens are signed and checked. Every replica must share the same key.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public const int MinKeyLength = 32;

    /// <summary>HMAC-SHA256 key that signs new tokens and validates; at least 32 characters so the key has 256 bits.</summary>
    [Required, MinLength(MinKeyLength)]
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// Keys that still validate tokens but sign none: during a rotation, the key being retired, until the tokens it
    /// signed have expired (docs/security.md).
    /// </summary>
    public string[] PreviousSigningKeys { get; set; } = [];

    internal bool PreviousKeysAreLongEnough => PreviousSigningKeys.All(key => key.Length >= MinKeyLength);

    [Required]
    public string Issuer { get; set; } = TokenClaims.DefaultIssuer;

    [Required]
    public string Audience { get; set; } = TokenClaims.DefaultIssuer;

    /// <summary>
    /// Publish tokens remembered as validated until they expire, so a publisher's repeated token is checked once
    /// (<see cref="ValidatedTokenCache"/>); 0 validates every request in full. Socket tokens are not cached.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 1_000;

    /// <summary>Lifetime of tokens handed out by the Development-only <c>/auth/dev-token</c> endpoint.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
