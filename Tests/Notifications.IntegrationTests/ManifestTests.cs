using System.Diagnostics;
using System.Text.Json;

namespace Notifications.IntegrationTests;

/// <summary>What azd deploys: the manifest the AppHost writes in publish mode.</summary>
public class ManifestTests
{
    [Fact]
    public async Task The_publish_manifest_has_the_redis_container_the_external_api_and_the_web_app()
    {
        var root = Repository.Root;
        var manifestPath = Path.Combine(Path.GetTempPath(), $"aspirenotify-manifest-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, output) = await RunAsync(root, "dotnet", "run", "--project", "AppHost", "--no-build",
                "--", "--publisher", "manifest", "--output-path", manifestPath);
            Assert.True(exitCode == 0, $"The manifest command failed ({exitCode}):\n{output}");

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
            var resources = manifest.RootElement.GetProperty("resources");

            var redis = resources.GetProperty(AppHost.Backplane.BackplaneResources.ConnectionName);
            Assert.StartsWith("container.", redis.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains("redis", redis.GetProperty("image").GetString(), StringComparison.Ordinal);
            Assert.Contains("password", redis.GetProperty("connectionString").GetString(), StringComparison.Ordinal);

            var api = resources.GetProperty(ServiceNames.Api);
            Assert.StartsWith("project.", api.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.True(api.GetProperty("bindings").GetProperty("http").GetProperty("external").GetBoolean());
            var apiEnvironment = api.GetProperty("env");
            Assert.Equal("{redis.connectionString}", apiEnvironment.GetProperty("ConnectionStrings__redis").GetString());
            Assert.Equal("{jwt-signing-key.value}", apiEnvironment.GetProperty("Auth__SigningKey").GetString());

            var web = resources.GetProperty(ServiceNames.Web);
            Assert.StartsWith("project.", web.GetProperty("type").GetString(), StringComparison.Ordinal);
            Assert.Contains(ServiceNames.Api, web.GetProperty("env").EnumerateObject().Select(p => p.Name).First(n => n.StartsWith("services__", StringComparison.Ordinal)),
                StringComparison.Ordinal);
            // The deployed test client signs people in with a generated access code and the API's key.
            var webEnvironment = web.GetProperty("env");
            Assert.Equal($"{{{AppHost.WebSignIn.AccessCodeParameter}.value}}", webEnvironment.GetProperty("SignIn__AccessCode").GetString());
            Assert.Equal("{jwt-signing-key.value}", webEnvironment.GetProperty("SignIn__SigningKey").GetString());
            Assert.True(resources.GetProperty(AppHost.WebSignIn.AccessCodeParameter).GetProperty("inputs").GetProperty("value")
                .GetProperty("secret").GetBoolean());
        }
        finally
        {
            File.Delete(manifestPath);
        }
    }


    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
