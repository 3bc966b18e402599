using System.Text.Json.Nodes;

namespace Notifications.DeploymentTests;

/// <summary>One environment variable of the container: a plain value, or a reference to one of the app's secrets.</summary>
internal sealed record EnvironmentVariable(string Name, string? Value, string? SecretRef);

/// <summary>A rendered template as the Microsoft.App/containerApps body azd PUTs, with the parts the tests read.</summary>
internal sealed class ContainerApp
{
    private ContainerApp(string service, string yaml, JsonObject body)
    {
        Service = service;
        Yaml = yaml;
        Body = body;
    }

    public string Service { get; }

    public string Yaml { get; }

    public JsonObject Body { get; }

    public JsonObject Configuration => Body["properties"]!["configuration"]!.AsObject();

    public JsonObject Ingress => Configuration["ingress"]!.AsObject();

    public JsonObject Template => Body["properties"]!["template"]!.AsObject();

    public JsonObject Scale => Template["scale"]!.AsObject();

    public JsonObject Container => Assert.Single(Template["containers"]!.AsArray())!.AsObject();

    public IReadOnlyDictionary<string, string> Secrets =>
        (Configuration["secrets"]?.AsArray() ?? []).ToDictionary(secret => (string)secret!["name"]!, secret => (string)secret!["value"]!);

    public IReadOnlyList<EnvironmentVariable> Environment =>
        [.. (Container["env"]?.AsArray() ?? []).Select(variable => new EnvironmentVariable(
            (string)variable!["name"]!, (string?)variable["value"], (string?)variable["secretRef"]))];

    /// <summary>What the process sees: each variable's value, a secret's resolved.</summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment => Environment.ToDictionary(
        variable => variable.Name,
        variable => variable.SecretRef is { } secret ? Secrets[secret] : variable.Value ?? "");

    public long MinReplicas => (long)Scale["minReplicas"]!;

    public long MaxReplicas => (long)Scale["maxReplicas"]!;

    public JsonObject Probe(string type) =>
        Assert.Single(Container["probes"]!.AsArray(), probe => (string?)probe!["type"] == type)!.AsObject();

    public string Variable(string name) =>
        Assert.Single(Environment, variable => variable.Name == name).Value ?? throw new InvalidOperationException($"{name} is a secret.");

    public string SecretBehind(string variableName) =>
        Secrets[Assert.Single(Environment, variable => variable.Name == variableName).SecretRef
            ?? throw new InvalidOperationException($"{variableName} is not a secret.")];

    public static ContainerApp Parse(string service, string yaml)
    {
        var document = YamlJson.Parse(yaml);
        // azd takes the api-version out of the document for the query string and PUTs the rest as it is.
        Assert.Equal("2024-02-02-preview", (string?)document["api-version"]);
        document.Remove("api-version");
        return new ContainerApp(service, yaml, document);
    }
}
