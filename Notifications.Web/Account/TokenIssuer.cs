using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Notifications.Web.Api;

namespace Notifications.Web.Account;

/// <summary>
/// Issues the API tokens of the people who sign in, the way <see cref="SignInOptions"/> and the environment allow: minted
/// here with the deployment's signing key after the access code was given, or asked of the API's development endpoint;
/// either way with the <c>topics</c> claim of <see cref="SignInOptions.Topics"/>.
/// </summary>
public sealed class TokenIssuer(IOptions<SignInOptions> options, IHostEnvironment environment, NotificationsApiClient api, TimeProvider time)
{
    public SignInMode Mode { get; } = options.Value.AccessCodeEnabled ? SignInMode.AccessCode
        : environment.IsDevelopment() ? SignInMode.DevelopmentToken
        : SignInMode.Off;

    /// <summary>Whether <paramref name="code"/> is the access code, compared in constant time (a guess learns nothing from timing).</summary>
    public bool Admits(string? code) => Mode switch
    {
        SignInMode.AccessCode => CryptographicOperations.FixedTimeEquals(Hash(code ?? ""), Hash(options.Value.AccessCode!)),
        SignInMode.DevelopmentToken => true,
        _ => false,
    };

    public async Task<ApiResult<AccessToken>> IssueAsync(string userId, bool publisher, CancellationToken cancellationToken)
    {
        string[] roles = publisher ? [TokenClaims.PublisherRole] : [];
        switch (Mode)
        {
            case SignInMode.AccessCode:
                var settings = options.Value;
                return ApiResult.Success(AccessTokens.Mint(settings.SigningKey!, userId, roles, time.GetUtcNow(), settings.TokenLifetime,
                    settings.Issuer, settings.Audience, topics: settings.TopicPatterns));
            case SignInMode.DevelopmentToken:
                var issued = await api.IssueDevTokenAsync(userId, roles, options.Value.TopicPatterns, cancellationToken);
                return issued.Succeeded
                    ? ApiResult.Success(new AccessToken(issued.Value.AccessToken, issued.Value.ExpiresAt))
                    : ApiResult.Failure<AccessToken>(issued.Error);
            default:
                return ApiResult.Failure<AccessToken>(SignInRefusal.Off);
        }
    }

    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
