using System.Reflection;
using Notifications.Processes;

namespace Notifications.DeploymentTests;

/// <summary>The files under test, and what the build told the tests about itself.</summary>
internal static class RepositoryFiles
{
    public static string Root => Repository.Root;

    public static string InfraDirectory => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    public static string MainParameters => Path.Combine(InfraDirectory, "main.parameters.json");

    public static string TemplateDirectory => Path.Combine(Root, "AppHost", "infra");

    public static string RendererSource => Path.Combine(Root, "Tests", "Notifications.DeploymentTests", "azd-render");

    public static string Doc => Path.Combine(Root, "docs", "azure-container-apps.md");

    public static string Template(string service) => Path.Combine(TemplateDirectory, $"{service}.tmpl.yaml");

    /// <summary>Service names, as azd finds the templates: <c>AppHost/infra/&lt;service&gt;.tmpl.yaml</c>.</summary>
    public static IReadOnlyList<string> TemplatedServices =>
        [.. Directory.GetFiles(TemplateDirectory, "*.tmpl.yaml").Select(path => Path.GetFileName(path)[..^".tmpl.yaml".Length]).Order(StringComparer.Ordinal)];

    public static string BuildSetting(string key) =>
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value
        ?? throw new InvalidOperationException($"The build set no {key}.");
}
