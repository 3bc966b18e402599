using System.Text.RegularExpressions;

namespace Notifications.DeploymentTests;

/// <summary>
/// What the templates read at deploy time, checked against what provides it: .Env from main.bicep's outputs (or azd),
/// parameters from main.bicep's generated secrets (or the user, for the documented ones), settings from the docs.
/// </summary>
public partial class TemplateInputsTests
{
    /// <summary>Given by the user with <c>azd env config set infra.parameters.NAME</c>, never generated.</summary>
    public static readonly IReadOnlyList<string> DeployOnlyParameters = ["redis_connection_string"];

    /// <summary>Looked up only to stop the deploy with a message that names the mistake.</summary>
    private const string RedisModeGuard = "redis_mode_must_be_container_or_managed";

    [Fact]
    public async Task Every_Env_value_a_template_reads_is_a_main_bicep_output_or_set_by_azd()
    {
        var outputs = (await CompiledInfrastructure.GetAsync()).OutputNames;

        foreach (var service in RepositoryFiles.TemplatedServices)
        {
            var names = EnvReference().Matches(await File.ReadAllTextAsync(RepositoryFiles.Template(service))).Select(match => match.Groups[1].Value);
            Assert.All(names, name => Assert.True(outputs.Contains(name) || AzdEnvironment.SetByAzd.Contains(name),
                $"{service}.tmpl.yaml reads .Env.{name}, which main.bicep does not output: the deploy would fail."));
        }
    }

    [Fact]
    public async Task A_template_that_reads_a_value_main_bicep_does_not_output_fails_to_render()
    {
        var template = Path.Combine(Path.GetTempPath(), $"aspirenotify-unknown-output-{Guid.NewGuid():N}.tmpl.yaml");
        await File.WriteAllTextAsync(template, "location: {{ .Env.AZURE_LOCATION }}\nhost: {{ .Env.SERVICE_REDIS_HOST }}\n");
        try
        {
            var result = await AzdRenderer.RenderAsync(template, await AzdEnvironment.ForAsync(Services.Api));

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("map has no entry for key \"SERVICE_REDIS_HOST\"", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(template);
        }
    }

    [Fact]
    public async Task Every_parameter_a_template_reads_is_generated_by_main_bicep_or_given_by_the_user()
    {
        var generated = (await CompiledInfrastructure.GetAsync()).GeneratedSecrets.Keys;

        foreach (var service in RepositoryFiles.TemplatedServices)
        {
            var text = await File.ReadAllTextAsync(RepositoryFiles.Template(service));
            var names = ParameterReference().Matches(text).Select(match => match.Groups[1].Value).Where(name => name != RedisModeGuard);
            Assert.All(names, name => Assert.True(generated.Contains(name) || DeployOnlyParameters.Contains(name),
                $"{service}.tmpl.yaml reads parameter {name}, which azd neither generates (main.bicep) nor is documented to be given."));
        }
    }

    [Fact]
    public async Task Every_setting_and_parameter_the_user_gives_is_documented()
    {
        var doc = await File.ReadAllTextAsync(RepositoryFiles.Doc);

        foreach (var service in RepositoryFiles.TemplatedServices)
        {
            var text = await File.ReadAllTextAsync(RepositoryFiles.Template(service));
            var settings = SettingReference().Matches(text).Select(match => $"AZURE_{match.Groups[1].Value.ToUpperInvariant()}");
            Assert.All(settings, setting => Assert.Contains(setting, doc, StringComparison.Ordinal));
        }

        Assert.All(DeployOnlyParameters, name => Assert.Contains($"infra.parameters.{name}", doc, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\.Env\.([A-Za-z0-9_]+)")]
    private static partial Regex EnvReference();

    [GeneratedRegex(@"(?:securedParameter|parameter)\s+""([^""]+)""")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"parameterWithDefault\s+""([^""]+)""")]
    private static partial Regex SettingReference();
}
