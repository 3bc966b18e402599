using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Notifications.Api.Auth;

public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>Creates and describes tokens exactly as the bearer handler validates them.</summary>
public sealed class TokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    public static SymmetricSecurityKey CreateSigningKey(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    public static TokenValidationParameters CreateValidationParameters(AuthOptions auth) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        IssuerSigningKeys = [CreateSigningKey(auth.SigningKey), .. auth.PreviousSigningKeys.Select(CreateSigningKey)],
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = TokenClaims.Subject,
        RoleClaimType = TokenClaims.Role,
    };

    /// <param name="topics">The <see cref="TokenClaims.Topics"/> claim (left out when empty: no topics).</param>
    /// <param name="publishTopics">The <see cref="TokenClaims.PublishTopics"/> claim (left out when empty: any topic).</param>
    public IssuedToken Issue(string userId, IReadOnlyCollection<string> roles, TimeSpan lifetime,
        IReadOnlyCollection<string>? topics = null, IReadOnlyCollection<string>? publishTopics = null)
    {
        var auth = options.Value;
        var now = time.GetUtcNow();
        var expiresAt = now + lifetime;
        var claims = new Dictionary<string, object> { [TokenClaims.Subject] = userId };
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

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(CreateSigningKey(auth.SigningKey), SecurityAlgorithms.HmacSha256),
        });
        return new IssuedToken(token, expiresAt);
    }
}
