using System.Diagnostics;
using System.Globalization;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// The web app as its container runs it: the output of <c>dotnet publish</c>, started with <c>dotnet
/// Notifications.Web.dll</c> in Production on a port of its own, configured only through environment variables.
/// </summary>
public sealed class PublishedWebApp : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly List<string> _output = [];

    private PublishedWebApp(Process process, Uri baseAddress) => (_process, BaseAddress) = (process, baseAddress);

    public Uri BaseAddress { get; }

    /// <summary>What the app wrote, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Publishes the web app once per test run (no build: the solution is built) into a directory of its own.</summary>
    public static async Task<string> PublishAsync(string configuration)
    {
        var output = Directory.CreateTempSubdirectory("aspirenotify-web-publish-").FullName;
        var project = Path.Combine(Repository.Root, "Notifications.Web", "Notifications.Web.csproj");
        using var publish = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", configuration, "--no-build", "-o", output, "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var log = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await publish.WaitForExitAsync(timeout.Token);
        return publish.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"dotnet publish failed ({publish.ExitCode}):\n{await log}\n{await errors}");
    }

    public static async Task<PublishedWebApp> StartAsync(string publishDirectory, IReadOnlyDictionary<string, string> environment, int port)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(publishDirectory, "Notifications.Web.dll")])
        {
            WorkingDirectory = publishDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var app = new PublishedWebApp(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}/"));
        app.Capture();
        await app.WaitUntilHealthyAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Capture()
    {
        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is { } text)
            {
                lock (_output)
                {
                    _output.Add(text);
                }
            }
        };
        _process.OutputDataReceived += keep;
        _process.ErrorDataReceived += keep;
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.UntilAsync("the published web app to answer /health", async token =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The web app exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync("health", token);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, StartTimeout);
    }
}
