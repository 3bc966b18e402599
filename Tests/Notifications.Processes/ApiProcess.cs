using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;

namespace Notifications.Processes;

/// <summary>What <c>GET /health/websocket</c> of a replica says about it.</summary>
public sealed record ReplicaHealth(string Node, bool Healthy, int Connections, int Users, long WorkingSetBytes, long GcHeapBytes);

/// <summary>
/// One API replica in its own process, started from the API's build output (no orchestrator in the way), on its own
/// loopback port, in Production, with every abuse limit lifted: all its clients come from loopback.
/// </summary>
public sealed class ApiProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Every test and load client connects from loopback and many open several connections per user, so the abuse
    /// limits are wide open unless a test sets them (configuration keys).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> OpenLimits = new Dictionary<string, string>
    {
        ["Limits:UpgradesPerAddressPerSecond"] = "100000",
        ["Limits:UpgradeBurst"] = "100000",
        ["Limits:ConnectionsPerUser"] = "10000",
        ["Limits:InboundMessagesPerSecond"] = "10000",
        ["Limits:InboundMessageBurst"] = "10000",
        ["Limits:PublishesPerCallerPerSecond"] = "1000000",
        ["Limits:PublishBurst"] = "1000000",
        ["Limits:MaxConnectionsPerReplica"] = "1000000",
        ["Limits:MaxPublishBodyBytes"] = "1048576",
    };

    private ApiProcess(int index, int port, Process process) => (Index, BaseAddress, Process) = (index, new Uri($"http://127.0.0.1:{port}"), process);

    public int Index { get; }

    public Uri BaseAddress { get; }

    public Process Process { get; }

    public bool IsRunning => !Process.HasExited;

    /// <summary>
    /// Starts replica <paramref name="index"/> of the API built in <paramref name="configuration"/> on
    /// <paramref name="port"/>; <paramref name="settings"/> (environment variables) override the defaults.
    /// </summary>
    public static ApiProcess Start(int index, int port, string redisConnectionString, IReadOnlyDictionary<string, string> settings,
        string configuration, Action<string>? onOutput = null)
    {
        var environment = new Dictionary<string, string>(OpenLimits.ToDictionary(limit => EnvironmentName(limit.Key), limit => limit.Value))
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__redis"] = redisConnectionString,
            ["Auth__SigningKey"] = Tokens.SigningKey,
            ["Notifications__NodeName"] = $"replica-{index}",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var info = new ProcessStartInfo("dotnet", [ApiAssembly(configuration)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the API.");
        DataReceivedEventHandler forward = (_, line) =>
        {
            if (!string.IsNullOrEmpty(line.Data))
            {
                onOutput?.Invoke(line.Data);
            }
        };
        process.OutputDataReceived += forward;
        process.ErrorDataReceived += forward;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ApiProcess(index, port, process);
    }

    public async Task<ReplicaHealth> HealthAsync()
    {
        var health = await Http.GetFromJsonAsync<JsonElement>(new Uri(BaseAddress, "/health/websocket"));
        var connections = health.GetProperty("connections");
        var memory = health.GetProperty("memory");
        return new ReplicaHealth(health.GetProperty("node").GetString()!, health.GetProperty("healthy").GetBoolean(),
            connections.GetProperty("total").GetInt32(), connections.GetProperty("users").GetInt32(),
            memory.GetProperty("workingSetBytes").GetInt64(), memory.GetProperty("gcHeapBytes").GetInt64());
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

    /// <summary>Stops the replica as an orchestrator does (SIGTERM) and waits until it has drained and exited.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using (var signal = Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await Process.WaitForExitAsync(deadline.Token);
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

    /// <summary>A configuration key as an environment variable: <c>Limits:X</c> is <c>Limits__X</c>.</summary>
    private static string EnvironmentName(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    /// <summary>The configuration the calling assembly was built in (bin/&lt;configuration&gt;/…), so tests run the API they built.</summary>
    public static string ConfigurationOf(Type type)
    {
        var segments = Path.GetDirectoryName(type.Assembly.Location)!.Split(Path.DirectorySeparatorChar);
        var bin = Array.LastIndexOf(segments, "bin");
        return bin >= 0 && bin + 1 < segments.Length ? segments[bin + 1] : "Debug";
    }

    private static string ApiAssembly(string configuration)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Notifications.Api", "bin", configuration, "net10.0", "Notifications.Api.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
            $"Notifications.Api is not built in {configuration}: dotnet build Notifications.Api -c {configuration}."));
    }
}
