using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Notifications.Api.Auth;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class AuthRulesTests
{
    private static readonly AuthOptions Options = new() { SigningKey = new string('k', 48) };

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Alice.Smith_01@example.com", true)]
    [InlineData("a-b", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("colon:inside", false)]
    [InlineData("star*", false)]
    [InlineData("ünicode", false)]
    [InlineData("trailing-newline\n", false)]
    public void User_ids_are_1_to_128_safe_characters(string? userId, bool valid)
    {
        Assert.Equal(valid, UserIds.IsValid(userId));
    }

    [Fact]
    public void User_ids_may_be_128_characters_but_not_129()
    {
        Assert.True(UserIds.IsValid(new string('a', 128)));
        Assert.False(UserIds.IsValid(new string('a', 129)));
    }

    [Fact]
    public void Dev_token_requests_need_a_valid_user_and_known_roles()
    {
        Assert.Empty(DevTokenEndpoints.Validate(new DevTokenRequest("alice", ["publisher"])));
        Assert.Empty(DevTokenEndpoints.Validate(new DevTokenRequest("alice", null)));
        Assert.Equal(["userId"], DevTokenEndpoints.Validate(new DevTokenRequest("bad id", null)).Keys);
        Assert.Equal(["roles"], DevTokenEndpoints.Validate(new DevTokenRequest("alice", ["admin"])).Keys);
        Assert.Empty(DevTokenEndpoints.Validate(new DevTokenRequest("alice", null, ["team-42", "order-*", "*"], ["news-*"])));
        Assert.Equal(["topics", "publishTopics"], DevTokenEndpoints.Validate(new DevTokenRequest("alice", null, ["a b"], ["x:y"])).Keys);
    }

    [Fact]
    public async Task An_issued_token_validates_with_its_subject_and_roles()
    {
        var issuer = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
        var token = issuer.Issue("alice", [Roles.Publisher], TimeSpan.FromMinutes(5));

        var result = await Validate(token.AccessToken, Options);

        Assert.True(result.IsValid, result.Exception?.Message);
        var identity = result.ClaimsIdentity;
        Assert.Equal("alice", identity.Name);
        Assert.True(new ClaimsPrincipal(identity).IsInRole(Roles.Publisher));
    }

    [Fact]
    public async Task A_token_without_roles_is_not_a_publisher()
    {
        var issuer = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
        var result = await Validate(issuer.Issue("bob", [], TimeSpan.FromMinutes(5)).AccessToken, Options);

        Assert.True(result.IsValid);
        Assert.False(new ClaimsPrincipal(result.ClaimsIdentity).IsInRole(Roles.Publisher));
    }

    [Fact]
    public async Task Expired_tokens_are_refused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var issuer = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(Options), time);

        var result = await Validate(issuer.Issue("alice", [], TimeSpan.FromMinutes(5)).AccessToken, Options);

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(result.Exception);
    }

    [Theory]
    [InlineData("another-signing-key-that-is-long-enough-000", "aspire-notify", "aspire-notify")]
    [InlineData(null, "someone-else", "aspire-notify")]
    [InlineData(null, "aspire-notify", "someone-else")]
    public async Task Tokens_from_another_key_issuer_or_audience_are_refused(string? key, string tokenIssuer, string audience)
    {
        var signing = new AuthOptions { SigningKey = key ?? Options.SigningKey, Issuer = tokenIssuer, Audience = audience };
        var token = new TokenIssuer(Microsoft.Extensions.Options.Options.Create(signing), TimeProvider.System)
            .Issue("alice", [Roles.Publisher], TimeSpan.FromMinutes(5));

        Assert.False((await Validate(token.AccessToken, Options)).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")]
    public async Task Malformed_and_unsigned_tokens_are_refused(string token)
    {
        Assert.False((await Validate(token, Options)).IsValid);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("http://localhost:5090", true)]
    [InlineData("HTTP://LOCALHOST:5090/", true)]
    [InlineData("http://localhost:5091", false)]
    [InlineData("https://localhost:5090", false)]
    [InlineData("https://evil.example", false)]
    [InlineData("null", false)]
    public void Only_listed_origins_may_open_sockets_from_a_browser(string? origin, bool allowed)
    {
        Assert.Equal(allowed, OriginPolicy.IsAllowed(origin, ["http://localhost:5090"]));
    }

    private static Task<TokenValidationResult> Validate(string token, AuthOptions options) =>
        new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, TokenIssuer.CreateValidationParameters(options));
}
