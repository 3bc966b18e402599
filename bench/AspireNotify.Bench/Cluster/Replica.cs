using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;

namespace AspireNotify.Bench.Cluster;

public sealed record ReplicaHealth(string Node, int Connections, long WorkingSetBytes, long GcHeapBytes);

/// <summary>One API process started by the bench, reachable on its own port.</summary>
public sealed class Replica(int index, int port, Process process) : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public int Index { get; } = index;

    public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

    public Process Process { get; } = process;

    public bool IsRunning => !Process.HasExited;

    public async Task<ReplicaHealth> HealthAsync()
    {
        var health = await Http.GetFromJsonAsync<JsonElement>(new Uri(BaseAddress, "/health/websocket"));
        return new ReplicaHealth(health.GetProperty("node").GetString()!, health.GetProperty("connections").GetProperty("total").GetInt32(),
            health.GetProperty("memory").GetProperty("workingSetBytes").GetInt64(), health.GetProperty("memory").GetProperty("gcHeapBytes").GetInt64());
    }

    /// <summary>
    /// Induces a full, compacting garbage collection in the replica through EventPipe (as dotnet-gcdump does), so the
    /// heap it reports next is what is live, not what happens to be uncollected.
    /// </summary>
    public async Task<ReplicaHealth> SettledHealthAsync()
    {
        const long gcHeapCollectKeyword = 0x800000;
        var client = new DiagnosticsClient(Process.Id);
        using (var session = client.StartEventPipeSession(
                   [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", System.Diagnostics.Tracing.EventLevel.Informational, gcHeapCollectKeyword)],
                   requestRundown: false))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            session.Stop();
        }

        return await HealthAsync();
    }

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(BaseAddress, "/health"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (Process.HasExited || deadline.Elapsed > timeout)
            {
                throw new InvalidOperationException($"Replica {Index} did not become healthy (exited: {Process.HasExited}).");
            }

            await Task.Delay(200);
        }
    }

    public void Kill()
    {
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit();
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Kill();
        }

        Process.Dispose();
    }
}
