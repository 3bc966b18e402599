using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace AspireNotify.Bench.Targets;

/// <summary>One instance of a peer server (the seed's Node server, the SignalR hub) in its own process on a loopback port.</summary>
public sealed class PeerProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private PeerProcess(Uri baseAddress, Process process) => (BaseAddress, Process) = (baseAddress, process);

    public Uri BaseAddress { get; }

    public Process Process { get; }

    public static PeerProcess Start(string name, int port, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        DataReceivedEventHandler forward = (_, line) =>
        {
            if (!string.IsNullOrEmpty(line.Data))
            {
                Console.Error.WriteLine($"[{name}] {line.Data}");
            }
        };
        process.OutputDataReceived += forward;
        process.ErrorDataReceived += forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PeerProcess(new Uri($"http://127.0.0.1:{port}"), process);
    }

    /// <summary>Connections this instance holds, as its <c>/health/websocket</c> says.</summary>
    public static async Task<int> ConnectionsAsync(Uri instance)
    {
        var health = await Http.GetFromJsonAsync<JsonElement>(new Uri(instance, "/health/websocket"));
        return health.GetProperty("connections").GetProperty("total").GetInt32();
    }

    /// <summary>Waits until <c>/health/websocket</c> answers healthy (the seed: once it is subscribed in Redis).</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var health = await Http.GetFromJsonAsync<JsonElement>(new Uri(BaseAddress, "/health/websocket"));
                if (health.GetProperty("healthy").GetBoolean())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (Process.HasExited || deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException($"{BaseAddress} did not become healthy (exited: {Process.HasExited}).");
            }

            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
