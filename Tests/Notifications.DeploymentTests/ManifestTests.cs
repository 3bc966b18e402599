using System.Text.Json.Nodes;

namespace Notifications.DeploymentTests;

/// <summary>
/// The committed infrastructure against the AppHost's publish manifest, from which azd takes the list of services and
/// which the generated infrastructure would have followed.
/// </summary>
public class ManifestTests
{
    private static readonly string[] DeployedTypes = ["project.v0", "project.v1", "container.v0", "container.v1", "dockerfile.v0"];

    [Fact]
    public async Task Every_manifest_resource_azd_deploys_has_a_template_and_every_template_a_resource()
    {
        var resources = await PublishManifest.GetResourcesAsync();

        var deployed = resources.Where(resource => DeployedTypes.Contains((string?)resource.Value!["type"])).Select(resource => resource.Key);
        Assert.Equal(deployed.Order(StringComparer.Ordinal), RepositoryFiles.TemplatedServices.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Main_bicep_generates_every_secret_parameter_of_the_manifest_by_the_same_rules()
    {
        var resources = await PublishManifest.GetResourcesAsync();
        var generated = (await CompiledInfrastructure.GetAsync()).GeneratedSecrets;

        var parameters = resources.Where(resource => (string?)resource.Value!["type"] == "parameter.v0")
            .ToDictionary(resource => resource.Key.Replace('-', '_'), resource => resource.Value!["inputs"]!["value"]!);
        Assert.Equal(parameters.Keys.Order(StringComparer.Ordinal), generated.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, input) in parameters)
        {
            Assert.True((bool?)input["secret"], $"{name} is not secret in the manifest.");
            var rules = input["default"]!["generate"]!;
            Assert.Equal((int)rules["minLength"]!, (int)generated[name]["length"]!);
            Assert.Equal(rules["special"] is JsonValue special && !(bool)special, (bool?)generated[name]["noSpecial"] == true);
        }
    }

    [Fact]
    public async Task The_redis_template_runs_the_manifests_redis_image_command()
    {
        var redis = (await PublishManifest.GetResourcesAsync())[Services.Redis]!;

        // The manifest's container and ours start Redis the same way: the shell, so that the password comes from the
        // environment. azd passes the manifest's image to the template as .Image.
        Assert.Equal("/bin/sh", (string?)redis["entrypoint"]);
        Assert.Contains("redis", (string?)redis["image"], StringComparison.Ordinal);
        Assert.Equal("{redis-password.value}", (string?)redis["env"]!["REDIS_PASSWORD"]);
    }
}
