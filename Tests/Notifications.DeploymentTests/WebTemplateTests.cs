namespace Notifications.DeploymentTests;

/// <summary>AppHost/infra/notifications-web.tmpl.yaml: the test client, its sign-in and its two ways to the API.</summary>
public class WebTemplateTests
{
    [Fact]
    public async Task Exactly_one_replica_holds_the_blazor_circuits()
    {
        var web = await AzdRenderer.RenderServiceAsync(Services.Web);

        Assert.Equal(1, web.MinReplicas);
        Assert.Equal(1, web.MaxReplicas);
    }

    [Fact]
    public async Task External_https_ingress_with_alive_and_health_probes()
    {
        var web = await AzdRenderer.RenderServiceAsync(Services.Web);

        Assert.True((bool?)web.Ingress["external"]);
        Assert.Equal("http", (string?)web.Ingress["transport"]);
        Assert.False((bool?)web.Ingress["allowInsecure"]);
        Assert.Equal("/alive", (string?)web.Probe("Startup")["httpGet"]!["path"]);
        Assert.Equal("/alive", (string?)web.Probe("Liveness")["httpGet"]!["path"]);
        Assert.Equal("/health", (string?)web.Probe("Readiness")["httpGet"]!["path"]);
        Assert.Equal("true", web.Variable("ASPNETCORE_FORWARDEDHEADERS_ENABLED"));
    }

    [Fact]
    public async Task The_browser_opens_sockets_to_the_apis_https_address_whose_origin_the_api_allows()
    {
        var web = await AzdRenderer.RenderServiceAsync(Services.Web);
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        var apiUrl = new Uri(web.Variable("LiveFeed__ApiUrl"));
        Assert.Equal(Uri.UriSchemeHttps, apiUrl.Scheme);
        Assert.Equal($"{Services.Api}.{AzdEnvironment.DefaultDomain}", apiUrl.Host);
        // The page is served from the web app's own address, the one origin the API lets open sockets.
        Assert.Equal($"https://{(string?)web.Body["tags"]!["azd-service-name"]}.{AzdEnvironment.DefaultDomain}",
            api.Variable("Connections__AllowedOrigins__0"));
    }

    [Fact]
    public async Task The_server_finds_the_api_by_service_discovery_over_https()
    {
        var web = await AzdRenderer.RenderServiceAsync(Services.Web);

        var endpoint = new Uri(web.Variable($"services__{Services.Api}__https__0"));
        Assert.Equal(Uri.UriSchemeHttps, endpoint.Scheme);
        Assert.EndsWith(AzdEnvironment.DefaultDomain, endpoint.Host, StringComparison.Ordinal);
        Assert.StartsWith($"{Services.Api}.", endpoint.Host, StringComparison.Ordinal);
    }

    [Fact]
    public async Task People_sign_in_with_the_generated_access_code_and_get_tokens_signed_with_the_apis_key()
    {
        var web = await AzdRenderer.RenderServiceAsync(Services.Web);
        var api = await AzdRenderer.RenderServiceAsync(Services.Api);

        Assert.Equal(AzdEnvironment.WebAccessCode, web.SecretBehind("SignIn__AccessCode"));
        Assert.Equal(api.SecretBehind("Auth__SigningKey"), web.SecretBehind("SignIn__SigningKey"));
    }
}
