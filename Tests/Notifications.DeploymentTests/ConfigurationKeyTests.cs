using Notifications.Api.Connections;
using Notifications.Web.Feed;

namespace Notifications.DeploymentTests;

/// <summary>
/// Every variable a template gives a service is one the service reads (a misspelt one would be silently ignored), and
/// every secret a service cannot start without is set, from a secret.
/// </summary>
public class ConfigurationKeyTests
{
    private static readonly ConfigurationKeys ApiKeys = ConfigurationKeys.Read(typeof(ConnectionOptions).Assembly,
        $"ConnectionStrings:{Services.Redis}", "ASPNETCORE_ENVIRONMENT", "AZURE_CLIENT_ID");

    private static readonly ConfigurationKeys WebKeys = ConfigurationKeys.Read(typeof(LiveFeedOptions).Assembly,
        "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_FORWARDEDHEADERS_ENABLED", "AZURE_CLIENT_ID", $"services:{Services.Api}:https:{{n}}",
        $"services:{Services.Api}:http:{{n}}");

    public static TheoryData<string, bool> DotnetServicesAndModes() => new()
    {
        { Services.Api, false }, { Services.Api, true }, { Services.Web, false }, { Services.Web, true },
    };

    [Fact]
    public void The_keys_come_from_the_options_classes()
    {
        // Guards the guard: an empty set would make the checks below fail, a too-wide one would make them pass.
        Assert.True(ApiKeys.Contains("Connections:AllowedOrigins:0"));
        Assert.True(ApiKeys.Contains("frontdoor:trustednetworks:3"));
        Assert.True(ApiKeys.Contains("Auth:SigningKey"));
        Assert.False(ApiKeys.Contains("Auth:SigningKeys"));
        Assert.False(ApiKeys.Contains("Connections:AllowedOrigins"));
        Assert.True(WebKeys.Contains("SignIn:AccessCode"));
        Assert.True(WebKeys.Contains("LiveFeed:ApiUrl"));
        Assert.False(WebKeys.Contains("Auth:SigningKey"));
    }

    [Theory]
    [MemberData(nameof(DotnetServicesAndModes))]
    public async Task Every_variable_a_template_sets_is_a_key_its_service_reads(string service, bool managedRedis)
    {
        var keys = service == Services.Api ? ApiKeys : WebKeys;
        var environment = await AzdEnvironment.ForAsync(service);

        var app = await AzdRenderer.RenderServiceAsync(service, managedRedis ? environment.WithManagedRedis() : environment);

        Assert.All(app.Environment, variable => Assert.True(keys.Contains(ConfigurationKeys.KeyOf(variable.Name)),
            $"{service} reads no configuration key {ConfigurationKeys.KeyOf(variable.Name)} (variable {variable.Name})."));
    }

    [Theory]
    [InlineData(Services.Api, "Auth:SigningKey")]
    [InlineData(Services.Api, "ConnectionStrings:redis")]
    [InlineData(Services.Web, "SignIn:AccessCode")]
    [InlineData(Services.Web, "SignIn:SigningKey")]
    public async Task Each_secret_a_service_requires_is_set_from_a_secret(string service, string key)
    {
        var app = await AzdRenderer.RenderServiceAsync(service);

        var variable = Assert.Single(app.Environment, variable =>
            string.Equals(ConfigurationKeys.KeyOf(variable.Name), key, StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(variable.SecretRef);
        Assert.False(string.IsNullOrEmpty(app.ProcessEnvironment[variable.Name]));
    }
}
