using System.Net;
using Microsoft.Extensions.DependencyInjection;
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
        var token = new DevTokenResponse("abc", Now.AddHours(8));

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
        Assert.Equal("""{"userId":"alice","roles":["publisher"]}""", request.Body);
    }
}
