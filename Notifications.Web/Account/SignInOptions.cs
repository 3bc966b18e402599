using System.ComponentModel.DataAnnotations;

namespace Notifications.Web.Account;

/// <summary>
/// How people sign in to the test client outside Development: with a deploy-time access code, after which the web app
/// mints their API token itself with the deployment's signing key. Off unless <see cref="AccessCode"/> is set.
/// </summary>
public sealed class SignInOptions : IValidatableObject
{
    public const string SectionName = "SignIn";

    /// <summary>The code everyone who may use the test client is given; empty turns access-code sign-in off.</summary>
    [MinLength(12, ErrorMessage = "SignIn:AccessCode must be at least 12 characters: it is the only thing between the internet and a token.")]
    public string? AccessCode { get; set; }

    /// <summary>The API's <c>Auth:SigningKey</c>; required with an access code.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>The API's <c>Auth:Issuer</c>.</summary>
    [Required]
    public string Issuer { get; set; } = TokenClaims.DefaultIssuer;

    /// <summary>The API's <c>Auth:Audience</c>.</summary>
    [Required]
    public string Audience { get; set; } = TokenClaims.DefaultIssuer;

    /// <summary>How long a minted token lives; the page mints a fresh one shortly before it expires.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Sign-in attempts one client address may make per minute (a guess at the code costs one).</summary>
    [Range(1, 1000)]
    public int AttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// The topics every signed-in user may subscribe to: names or patterns (<c>*</c> matches any run of name
    /// characters), comma-separated, put in the token's <c>topics</c> claim. <c>*</c> by default, so the demo can
    /// subscribe to anything; empty gives no claim, and the API then refuses every topic.
    /// </summary>
    [RegularExpression(@"^\s*([A-Za-z0-9._@*-]+\s*(,\s*[A-Za-z0-9._@*-]+\s*)*)?$",
        ErrorMessage = "SignIn:Topics is a comma-separated list of topic names or patterns (A-Z a-z 0-9 . _ @ - and *).")]
    public string Topics { get; set; } = "*";

    public bool AccessCodeEnabled => !string.IsNullOrEmpty(AccessCode);

    /// <summary><see cref="Topics"/> as the claim's list.</summary>
    public string[] TopicPatterns => Topics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccessCodeEnabled && string.IsNullOrEmpty(SigningKey))
        {
            yield return new ValidationResult("SignIn:AccessCode is set but SignIn:SigningKey is not: the web app cannot mint tokens without the API's signing key.",
                [nameof(SigningKey)]);
        }
    }
}
