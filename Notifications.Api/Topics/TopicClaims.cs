using System.Security.Claims;

namespace Notifications.Api.Topics;

/// <summary>The topic patterns of a token: a JSON array claim arrives as one claim per element (a lone string as one).</summary>
public static class TopicClaims
{
    public static IReadOnlyList<string> Read(IEnumerable<Claim> claims, string type)
    {
        List<string>? patterns = null;
        foreach (var claim in claims)
        {
            if (claim.Type == type)
            {
                (patterns ??= []).Add(claim.Value);
            }
        }

        return patterns ?? (IReadOnlyList<string>)[];
    }

    /// <summary>Whether the token has the claim at all: an absent <see cref="TokenClaims.PublishTopics"/> allows every topic.</summary>
    public static bool Has(IEnumerable<Claim> claims, string type) => claims.Any(claim => claim.Type == type);
}
