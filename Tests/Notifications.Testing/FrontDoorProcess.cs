using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using AppHost.FrontDoors;
using Notifications.Processes;

namespace Notifications.Testing;

/// <summary>
/// Debian's nginx or HAProxy in front of API replica processes, run from the very file the project ships in deploy/
/// (rendered as the AppHost renders it), on a free loopback port.
/// </summary>
public sealed class FrontDoorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _runDirectory;

    private FrontDoorProcess(FrontDoorKind kind, Process process, string runDirectory, int port) =>
        (Kind, _process, _runDirectory, BaseAddress) = (kind, process, runDirectory, new Uri($"http://127.0.0.1:{port}"));

    public FrontDoorKind Kind { get; }

    public Uri BaseAddress { get; }

    public static async Task<FrontDoorProcess> StartAsync(FrontDoorKind kind, IReadOnlyList<ApiProcess> replicas, TimeSpan idleTimeout)
    {
        var runDirectory = Directory.CreateTempSubdirectory("aspirenotify-frontdoor-test-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            // nginx's workers drop root for an unprivileged user, which must still write its temp files here.
            File.SetUnixFileMode(runDirectory, (UnixFileMode)0b111_111_111);
        }
        var port = LoopbackPorts.Free();
        var config = Path.Combine(runDirectory, Path.GetFileName(FrontDoorTemplate.FileOf(kind)));
        await File.WriteAllTextAsync(config, FrontDoorTemplate.Render(await File.ReadAllTextAsync(Path.Combine(Repository.Root, FrontDoorTemplate.FileOf(kind))),
            new FrontDoorSettings(runDirectory, $"127.0.0.1:{port}",
                [.. replicas.Select(replica => new FrontDoorReplica($"replica{replica.Index}", replica.BaseAddress.Authority))],
                idleTimeout, TimeSpan.FromSeconds(10), 1024 * 1024)));
        var process = Start(kind, runDirectory, config);
        var frontDoor = new FrontDoorProcess(kind, process, runDirectory, port);
        await frontDoor.WaitUntilAnsweringAsync();
        return frontDoor;
    }

    /// <summary>
    /// Takes a replica out of rotation for new connections, as the drain procedure of docs/deployment.md does with
    /// HAProxy's runtime API. (nginx has none: a draining replica's 503s send new upgrades to the others.)
    /// </summary>
    public Task DrainAsync(ApiProcess replica) => SetStateAsync(replica, "drain");

    /// <summary>Puts a replica back into rotation after a drain.</summary>
    public Task ReadyAsync(ApiProcess replica) => SetStateAsync(replica, "ready");

    private async Task SetStateAsync(ApiProcess replica, string state)
    {
        if (Kind != FrontDoorKind.HAProxy)
        {
            return;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Path.Combine(_runDirectory, "admin.sock")));
        await socket.SendAsync(Encoding.ASCII.GetBytes($"set server notifications_api/replica{replica.Index} state {state}\n"));
        var answer = new byte[1024];
        _ = await socket.ReceiveAsync(answer);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_runDirectory, recursive: true);
    }

    private static Process Start(FrontDoorKind kind, string runDirectory, string config)
    {
        var info = kind == FrontDoorKind.Nginx
            ? new ProcessStartInfo("nginx", ["-p", runDirectory, "-e", "stderr", "-c", config, "-g", "daemon off;"])
            : new ProcessStartInfo("haproxy", ["-f", config, "-db"]);
        (info.RedirectStandardOutput, info.RedirectStandardError, info.UseShellExecute) = (true, true, false);
        try
        {
            var process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"{info.FileName} is not installed: apt-get install -y {info.FileName} (.ci/run does this).", exception);
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var health = Kind == FrontDoorKind.Nginx ? "/nginx-health" : "/haproxy-health";
        await Eventually.UntilAsync($"{Kind} to answer", async token =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Kind} exited with {_process.ExitCode}.");
            }

            using var response = await http.GetAsync(health, token);
            return response.IsSuccessStatusCode;
        }, StartTimeout);
    }
}
