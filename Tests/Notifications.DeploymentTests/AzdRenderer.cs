namespace Notifications.DeploymentTests;

internal sealed record RenderResult(int ExitCode, string Yaml, string Error);

/// <summary>
/// Renders a container app template with azd-render (azd-render/main.go): Go's own text/template with azd's deploy-time
/// functions, so what the tests parse is what <c>azd deploy</c> would PUT.
/// </summary>
internal static class AzdRenderer
{
    private static readonly Lazy<Task<string>> Binary = new(BuildAsync);

    public static async Task<RenderResult> RenderAsync(string templatePath, AzdEnvironment environment)
    {
        var binary = await Binary.Value;
        var context = Path.Combine(Path.GetTempPath(), $"aspirenotify-azd-context-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(context, environment.ToJson());
        try
        {
            var result = await ProcessRunner.RunAsync(binary, [templatePath, context]);
            return new RenderResult(result.ExitCode, result.StandardOutput, result.StandardError);
        }
        finally
        {
            File.Delete(context);
        }
    }

    /// <summary>Renders <c>AppHost/infra/&lt;service&gt;.tmpl.yaml</c>, which must succeed, into the body azd PUTs.</summary>
    public static async Task<ContainerApp> RenderServiceAsync(string service, AzdEnvironment environment)
    {
        var result = await RenderAsync(RepositoryFiles.Template(service), environment);
        Assert.True(result.ExitCode == 0, $"{service}.tmpl.yaml did not render: {result.Error}");
        return ContainerApp.Parse(service, result.Yaml);
    }

    public static async Task<ContainerApp> RenderServiceAsync(string service) =>
        await RenderServiceAsync(service, await AzdEnvironment.ForAsync(service));

    private static async Task<string> BuildAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), $"aspirenotify-azd-render-{Guid.NewGuid():N}");
        Directory.CreateDirectory(output);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(output, recursive: true);
        var binary = Path.Combine(output, "azd-render");
        // Standard library only: nothing to download (GOPROXY=off), and caches in the temp directory so that the
        // build needs no home directory.
        var environment = new Dictionary<string, string>
        {
            ["GOPROXY"] = "off",
            ["GOFLAGS"] = "-mod=mod",
            ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "aspirenotify-go-cache"),
            ["GOPATH"] = Path.Combine(Path.GetTempPath(), "aspirenotify-go-path"),
        };
        ProcessResult build;
        try
        {
            build = await ProcessRunner.RunAsync("go", ["build", "-o", binary, "."], RepositoryFiles.RendererSource, environment);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("The Go toolchain is not on the PATH: apt-get install golang-go (.ci/run does).", exception);
        }

        Assert.True(build.ExitCode == 0, $"go build of azd-render failed: {build.Describe()}");
        return binary;
    }
}
