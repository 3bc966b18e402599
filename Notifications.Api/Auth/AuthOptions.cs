using System.ComponentModel.DataAnnotations;

namespace Notifications.Api.Auth;

/// <summary>How bearer tokens are signed and checked. Every replica must share the same key.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>HMAC-SHA256 key; at least 32 characters so the key has 256 bits.</summary>
    [Required, MinLength(32)]
    public string SigningKey { get; set; } = "";

    [Required]
    public string Issuer { get; set; } = "aspire-notify";

    [Required]
    public string Audience { get; set; } = "aspire-notify";

    /// <summary>Lifetime of tokens handed out by the Development-only <c>/auth/dev-token</c> endpoint.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(8);
}
