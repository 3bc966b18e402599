using System.Text.Json.Nodes;

namespace Notifications.DeploymentTests;

/// <summary>
/// The manifest the AppHost writes in publish mode, as <c>azd</c> gets it (azd runs the same command on every provision
/// and deploy to learn the services and parameters), once for all tests.
/// </summary>
internal static class PublishManifest
{
    private static readonly Lazy<Task<JsonObject>> Resources = new(WriteAsync);

    public static Task<JsonObject> GetResourcesAsync() => Resources.Value;

    private static async Task<JsonObject> WriteAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aspirenotify-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var result = await ProcessRunner.RunAsync("dotnet",
            [
                "run", "--project", "AppHost", "--no-build", "--configuration", RepositoryFiles.BuildSetting("Configuration"),
                "--", "--publisher", "manifest", "--output-path", path,
            ]);
            Assert.True(result.ExitCode == 0, $"The AppHost did not write its manifest: {result.Describe()}");
            return JsonNode.Parse(await File.ReadAllTextAsync(path))!["resources"]!.AsObject();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
