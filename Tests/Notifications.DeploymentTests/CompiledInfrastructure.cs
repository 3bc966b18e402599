using System.Text.Json.Nodes;

namespace Notifications.DeploymentTests;

/// <summary><c>infra/main.bicep</c> compiled to the ARM template azd deploys, once for all tests.</summary>
internal sealed class CompiledInfrastructure
{
    private static readonly Lazy<Task<CompiledInfrastructure>> Instance = new(CompileAsync);

    private CompiledInfrastructure(ProcessResult build, JsonObject template)
    {
        Build = build;
        Template = template;
    }

    public static Task<CompiledInfrastructure> GetAsync() => Instance.Value;

    public ProcessResult Build { get; }

    public JsonObject Template { get; }

    public JsonObject Parameters => Template["parameters"]!.AsObject();

    public IReadOnlyList<string> OutputNames => [.. Template["outputs"]!.AsObject().Select(output => output.Key)];

    /// <summary>The secure parameters azd generates: <c>@metadata({azd: {type: 'generate'}})</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> GeneratedSecrets => Parameters
        .Where(parameter => (string?)parameter.Value!["type"] == "securestring"
            && (string?)parameter.Value["metadata"]?["azd"]?["type"] == "generate")
        .ToDictionary(parameter => parameter.Key, parameter => parameter.Value!["metadata"]!["azd"]!["config"]!.AsObject());

    /// <summary>Every resource, the resource group module's included.</summary>
    public IReadOnlyList<JsonObject> Resources => [.. ResourcesOf(Template)];

    public IReadOnlyList<JsonObject> ResourcesOfType(string type) =>
        [.. Resources.Where(resource => string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase))];

    private static IEnumerable<JsonObject> ResourcesOf(JsonObject template)
    {
        // languageVersion 2.0 templates hold resources by symbolic name, older ones in an array.
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(resource => resource!.AsObject()),
            JsonObject map => map.Select(resource => resource.Value!.AsObject()),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static async Task<CompiledInfrastructure> CompileAsync()
    {
        var build = await BicepCli.RunAsync("build", RepositoryFiles.MainBicep, "--stdout");
        Assert.True(build.ExitCode == 0, $"bicep build infra/main.bicep failed: {build.Describe()}");
        return new CompiledInfrastructure(build, JsonNode.Parse(build.StandardOutput)!.AsObject());
    }
}
