using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Notifications.Web;
using Notifications.Web.Account;
using Notifications.Web.Api;
using Notifications.WebTests.Infrastructure;

namespace Notifications.WebTests;

public sealed class AccountTests : WebContext
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/cluster?x=1", "/cluster?x=1")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("cluster", "/")]
    public void Sign_in_returns_only_to_a_path_on_this_site(string? returnUrl, string expected)
    {
        Assert.Equal(expected, LocalUrl.OrHome(returnUrl));
    }

    [Fact]
    public void The_cookie_principal_carries_the_user_the_role_and_the_token()
    {
        var token = new AccessToken("abc", Now.AddHours(8));

        var user = WebUser.Create("alice", publisher: true, token);

        Assert.Equal("alice", WebUser.UserId(user));
        Assert.True(WebUser.IsPublisher(user));
        Assert.Equal(token, WebUser.TokenOf(user));
        Assert.False(WebUser.IsPublisher(WebUser.Create("bob", publisher: false, token)));
    }

    [Fact]
    public async Task A_token_about_to_expire_is_replaced_by_a_fresh_one_for_the_same_user_and_role()
    {
        SignIn("alice", publisher: true, token: "old", expiresAt: Now.AddMinutes(5));
        Api.Answer = _ => StubApi.Json(HttpStatusCode.OK, $$"""{"accessToken":"fresh","expiresAt":"{{Now.AddHours(8):O}}"}""");
        var tokens = Services.GetRequiredService<AccessTokenSource>();

        Assert.Equal("old", await tokens.GetAsync(CancellationToken.None));
        Time.Advance(TimeSpan.FromMinutes(4.5));
        Assert.Equal("fresh", await tokens.GetAsync(CancellationToken.None));
        Assert.Equal("fresh", await tokens.GetAsync(CancellationToken.None));

        var request = Assert.Single(Api.Requests);
        Assert.Equal("/auth/dev-token", request.Path);
        Assert.Equal("""{"userId":"alice","roles":["publisher"],"topics":["*"],"publishTopics":null}""", request.Body);
    }

    [Theory]
    [InlineData(" team-* , order-42 ", """["team-*","order-42"]""")]
    [InlineData("", "null")]
    public async Task The_token_carries_the_configured_topic_patterns_and_none_when_they_are_empty(string topics, string claim)
    {
        SignInOptions.Topics = topics;
        SignIn("alice", publisher: false, token: "old", expiresAt: Now.AddMinutes(5));
        Api.Answer = _ => StubApi.Json(HttpStatusCode.OK, $$"""{"accessToken":"fresh","expiresAt":"{{Now.AddHours(8):O}}"}""");
        var tokens = Services.GetRequiredService<AccessTokenSource>();

        Time.Advance(TimeSpan.FromMinutes(4.5));
        await tokens.GetAsync(CancellationToken.None);

        Assert.Equal($$"""{"userId":"alice","roles":[],"topics":{{claim}},"publishTopics":null}""", Assert.Single(Api.Requests).Body);
    }

    [Fact]
    public async Task With_an_access_code_the_web_app_mints_fresh_tokens_itself_for_the_same_user_and_role()
    {
        SignInOptions.AccessCode = "the-access-code-of-the-test";
        SignInOptions.SigningKey = "a-signing-key-of-at-least-thirty-two-characters";
        SignIn("alice", publisher: true, token: "old", expiresAt: Now.AddMinutes(5));
        var tokens = Services.GetRequiredService<AccessTokenSource>();

        Time.Advance(TimeSpan.FromMinutes(4.5));
        var fresh = await tokens.GetAsync(CancellationToken.None);

        Assert.Empty(Api.Requests);
        var expected = AccessTokens.Mint(SignInOptions.SigningKey, "alice", [TokenClaims.PublisherRole], Time.GetUtcNow(), SignInOptions.TokenLifetime,
            topics: ["*"]);
        Assert.Equal(expected.Value, fresh);
    }

    [Theory]
    [InlineData("the-access-code-of-the-test", true)]
    [InlineData("the-access-code-of-the-tesT", false)]
    [InlineData("the-access-code-of-the-test ", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_the_access_code_itself_admits(string? code, bool admitted)
    {
        SignInOptions.AccessCode = "the-access-code-of-the-test";
        SignInOptions.SigningKey = "a-signing-key-of-at-least-thirty-two-characters";
        var issuer = Services.GetRequiredService<TokenIssuer>();

        Assert.Equal(SignInMode.AccessCode, issuer.Mode);
        Assert.Equal(admitted, issuer.Admits(code));
    }

    [Fact]
    public async Task Outside_Development_without_an_access_code_no_one_is_admitted_and_no_token_is_issued()
    {
        Services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production });
        var issuer = Services.GetRequiredService<TokenIssuer>();

        Assert.Equal(SignInMode.Off, issuer.Mode);
        Assert.False(issuer.Admits(null));
        Assert.False(issuer.Admits("anything"));
        Assert.False((await issuer.IssueAsync("alice", publisher: false, CancellationToken.None)).Succeeded);
        Assert.Empty(Api.Requests);
    }
}
