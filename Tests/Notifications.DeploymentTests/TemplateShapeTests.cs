using System.Text.RegularExpressions;

namespace Notifications.DeploymentTests;

/// <summary>What every AppHost/infra/*.tmpl.yaml must be for azd to deploy it, in both Redis modes.</summary>
public partial class TemplateShapeTests
{
    public static TheoryData<string, bool> ServicesAndModes()
    {
        var data = new TheoryData<string, bool>();
        foreach (var service in RepositoryFiles.TemplatedServices)
        {
            data.Add(service, false);
            data.Add(service, true);
        }

        return data;
    }

    [Fact]
    public void There_is_a_template_for_each_service_and_no_other()
    {
        Assert.Equal([Services.Api, Services.Web, Services.Redis], RepositoryFiles.TemplatedServices);
    }

    [Theory]
    [MemberData(nameof(ServicesAndModes))]
    public async Task Each_template_is_the_container_app_azd_deploys_for_its_service(string service, bool managedRedis)
    {
        var environment = await AzdEnvironment.ForAsync(service);
        var app = await AzdRenderer.RenderServiceAsync(service, managedRedis ? environment.WithManagedRedis() : environment);

        Assert.Equal("westeurope", (string?)app.Body["location"]);
        Assert.Equal("UserAssigned", (string?)app.Body["identity"]!["type"]);
        Assert.True(app.Body["identity"]!["userAssignedIdentities"]!.AsObject().ContainsKey(AzdEnvironment.IdentityId));
        Assert.EndsWith("/managedEnvironments/cae-abc", (string?)app.Body["properties"]!["environmentId"], StringComparison.Ordinal);
        Assert.Equal("single", (string?)app.Configuration["activeRevisionsMode"]);
        var registry = Assert.Single(app.Configuration["registries"]!.AsArray())!;
        Assert.Equal("acrabc.azurecr.io", (string?)registry["server"]);
        Assert.Equal(AzdEnvironment.IdentityId, (string?)registry["identity"]);
        Assert.Equal(service, (string?)app.Body["tags"]!["azd-service-name"]);
        Assert.Equal(service, (string?)app.Body["tags"]!["aspire-resource-name"]);
        Assert.Equal(service, (string?)app.Container["name"]);
        Assert.Equal(environment.Image, (string?)app.Container["image"]);
    }

    [Theory]
    [MemberData(nameof(ServicesAndModes))]
    public async Task Every_secret_reference_names_a_secret_and_every_secret_is_set_and_used(string service, bool managedRedis)
    {
        var environment = await AzdEnvironment.ForAsync(service);
        var app = await AzdRenderer.RenderServiceAsync(service, managedRedis ? environment.WithManagedRedis() : environment);

        var references = app.Environment.Where(variable => variable.SecretRef is not null).Select(variable => variable.SecretRef!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.Contains(reference, app.Secrets.Keys));
        Assert.All(app.Secrets, secret => Assert.Contains(secret.Key, references));
        Assert.All(app.Secrets, secret => Assert.False(string.IsNullOrWhiteSpace(secret.Value), $"{service}: secret {secret.Key} is empty."));
        // Container Apps secret names: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.
        Assert.All(app.Secrets.Keys, name => Assert.Matches(SecretName(), name));
        Assert.All(app.Environment, variable => Assert.True(variable.Value is null ^ variable.SecretRef is null,
            $"{service}: {variable.Name} needs exactly one of value and secretRef."));
    }

    [Theory]
    [InlineData(Services.Api)]
    [InlineData(Services.Web)]
    public async Task The_dotnet_apps_share_their_data_protection_keys_through_the_platform(string service)
    {
        var app = await AzdRenderer.RenderServiceAsync(service);

        Assert.True((bool?)app.Configuration["runtime"]!["dotnet"]!["autoConfigureDataProtection"]);
        Assert.Equal("Production", app.Variable("ASPNETCORE_ENVIRONMENT"));
        Assert.Equal("11111111-2222-3333-4444-555555555555", app.Variable("AZURE_CLIENT_ID"));
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    private static partial Regex SecretName();
}
