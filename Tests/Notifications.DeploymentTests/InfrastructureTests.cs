using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using Notifications.Api.Auth;
using Notifications.Web.Account;

namespace Notifications.DeploymentTests;

/// <summary>infra/: what <c>azd provision</c> deploys, compiled and linted by bicep as azd would.</summary>
public class InfrastructureTests
{
    /// <summary>What azd and the templates in AppHost/infra/ read from the deployment's outputs.</summary>
    public static readonly IReadOnlyList<string> RequiredOutputs =
    [
        "MANAGED_IDENTITY_CLIENT_ID", "MANAGED_IDENTITY_NAME", "AZURE_LOG_ANALYTICS_WORKSPACE_NAME",
        "AZURE_CONTAINER_REGISTRY_ENDPOINT", "AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID", "AZURE_CONTAINER_REGISTRY_NAME",
        "AZURE_CONTAINER_APPS_ENVIRONMENT_NAME", "AZURE_CONTAINER_APPS_ENVIRONMENT_ID", "AZURE_CONTAINER_APPS_ENVIRONMENT_DEFAULT_DOMAIN",
        "SERVICE_REDIS_VOLUME_DATA_NAME",
    ];

    [Fact]
    public async Task Main_bicep_builds_without_errors_or_warnings()
    {
        var build = (await CompiledInfrastructure.GetAsync()).Build;

        // bicep writes its diagnostics, linter warnings included, to stderr; the template alone goes to stdout.
        Assert.True(build.StandardError.Trim().Length == 0, $"bicep build reported: {build.StandardError}");
    }

    [Fact]
    public async Task Main_bicep_and_the_resources_module_pass_the_linter()
    {
        foreach (var file in new[] { "main.bicep", "resources.bicep" })
        {
            var lint = await BicepCli.RunAsync("lint", Path.Combine(RepositoryFiles.InfraDirectory, file));

            Assert.True(lint.ExitCode == 0 && (lint.StandardOutput + lint.StandardError).Trim().Length == 0,
                $"bicep lint {file}: {lint.Describe()}");
        }
    }

    [Fact]
    public async Task The_container_apps_environment_is_a_consumption_workload_profile_environment_with_the_aspire_dashboard()
    {
        var infrastructure = await CompiledInfrastructure.GetAsync();

        var environment = Assert.Single(infrastructure.ResourcesOfType("Microsoft.App/managedEnvironments"));
        Assert.Equal("2024-02-02-preview", (string?)environment["apiVersion"]);
        var profile = Assert.Single(environment["properties"]!["workloadProfiles"]!.AsArray())!;
        Assert.Equal("Consumption", (string?)profile["workloadProfileType"]);
        Assert.Equal("log-analytics", (string?)environment["properties"]!["appLogsConfiguration"]!["destination"]);
        var dashboard = Assert.Single(infrastructure.ResourcesOfType("Microsoft.App/managedEnvironments/dotNetComponents"));
        Assert.Equal("AspireDashboard", (string?)dashboard["properties"]!["componentType"]);
        Assert.Single(infrastructure.ResourcesOfType("Microsoft.OperationalInsights/workspaces"));
        Assert.Single(infrastructure.ResourcesOfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
    }

    [Fact]
    public async Task The_apps_pull_from_a_basic_registry_with_their_identity()
    {
        var infrastructure = await CompiledInfrastructure.GetAsync();

        var registry = Assert.Single(infrastructure.ResourcesOfType("Microsoft.ContainerRegistry/registries"));
        Assert.Equal("Basic", (string?)registry["sku"]!["name"]);
        const string acrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
        Assert.Contains(infrastructure.ResourcesOfType("Microsoft.Authorization/roleAssignments"), assignment =>
            ((string?)assignment["properties"]!["roleDefinitionId"])!.Contains(acrPull, StringComparison.Ordinal)
            && ((string?)assignment["scope"])!.Contains("Microsoft.ContainerRegistry/registries", StringComparison.Ordinal)
            && (string?)assignment["properties"]!["principalType"] == "ServicePrincipal");
    }

    [Fact]
    public async Task Redis_data_lives_on_an_azure_files_share_mounted_read_write_into_the_environment()
    {
        var infrastructure = await CompiledInfrastructure.GetAsync();

        var share = Assert.Single(infrastructure.ResourcesOfType("Microsoft.Storage/storageAccounts/fileServices/shares"));
        Assert.Equal("SMB", (string?)share["properties"]!["enabledProtocols"]);
        var storage = Assert.Single(infrastructure.ResourcesOfType("Microsoft.App/managedEnvironments/storages"));
        var azureFile = storage["properties"]!["azureFile"]!;
        Assert.Equal("ReadWrite", (string?)azureFile["accessMode"]);
        // The environment's storage mounts that very share (ARM expressions: "[take(...)]" is the share's last name segment).
        Assert.EndsWith($", {((string)azureFile["shareName"]!).Trim('[', ']')})]", (string?)share["name"], StringComparison.Ordinal);
        Assert.Contains("SERVICE_REDIS_VOLUME_DATA_NAME", infrastructure.OutputNames);
    }

    [Fact]
    public async Task Main_bicep_outputs_everything_azd_and_the_templates_read()
    {
        var outputs = (await CompiledInfrastructure.GetAsync()).OutputNames;

        Assert.All(RequiredOutputs, output => Assert.Contains(output, outputs));
    }

    [Fact]
    public async Task Azd_generates_each_secret_with_the_length_and_alphabet_the_services_require()
    {
        var secrets = (await CompiledInfrastructure.GetAsync()).GeneratedSecrets;

        Assert.Equal(["jwt_signing_key", "redis_password", "web_access_code"], secrets.Keys.Order(StringComparer.Ordinal));
        Assert.All(secrets.Values, config => Assert.True((bool?)config["noSpecial"]));
        Assert.Equal(48, (int)secrets["jwt_signing_key"]["length"]!);
        Assert.Equal(24, (int)secrets["web_access_code"]["length"]!);
        Assert.True((int)secrets["jwt_signing_key"]["length"]! >= AuthOptions.MinKeyLength);
        var accessCodeMinimum = typeof(SignInOptions).GetProperty(nameof(SignInOptions.AccessCode))!.GetCustomAttribute<MinLengthAttribute>()!.Length;
        Assert.True((int)secrets["web_access_code"]["length"]! >= accessCodeMinimum);
        // The tests' own stand-ins have the generated lengths, so that they pass the services' validation as the real ones do.
        Assert.Equal((int)secrets["jwt_signing_key"]["length"]!, AzdEnvironment.JwtSigningKey.Length);
        Assert.Equal((int)secrets["redis_password"]["length"]!, AzdEnvironment.RedisPassword.Length);
        Assert.Equal((int)secrets["web_access_code"]["length"]!, AzdEnvironment.WebAccessCode.Length);
    }

    [Fact]
    public async Task Main_parameters_json_names_only_parameters_of_main_bicep_with_azd_variables()
    {
        var parameters = (await CompiledInfrastructure.GetAsync()).Parameters;
        var file = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.MainParameters))!["parameters"]!.AsObject();

        Assert.All(file, entry => Assert.True(parameters.ContainsKey(entry.Key), $"main.parameters.json sets {entry.Key}, which main.bicep lacks."));
        Assert.Equal("${AZURE_ENV_NAME}", (string?)file["environmentName"]!["value"]);
        Assert.Equal("${AZURE_LOCATION}", (string?)file["location"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)file["principalId"]!["value"]);
        foreach (var secret in (await CompiledInfrastructure.GetAsync()).GeneratedSecrets.Keys)
        {
            Assert.Equal($"${{AZURE_{secret.ToUpperInvariant()}}}", (string?)file[secret]?["value"]);
        }
    }
}
