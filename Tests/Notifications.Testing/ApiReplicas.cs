using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notifications.Testing;

/// <summary>
/// The replicas of a running AppHost's API, by node name (their resource id), and what an orchestrator or a crash
/// does to them: SIGTERM, kill, start again.
/// </summary>
public sealed class ApiReplicas : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _replicas = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DistributedApplication _app;
    private readonly string _resource;
    private readonly Task _tracking;

    public ApiReplicas(DistributedApplication app, string resource)
    {
        (_app, _resource) = (app, resource);
        _tracking = TrackAsync(_stopping.Token);
    }

    public IReadOnlyCollection<string> Nodes => [.. _replicas.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Each replica reports its own health; waiting on the resource name alone would return after the first.</summary>
    public async Task WaitUntilHealthyAsync(int count, CancellationToken cancellationToken)
    {
        var healthy = new HashSet<string>();
        await foreach (var update in _app.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name != _resource)
            {
                continue;
            }

            if (update.Snapshot.HealthStatus == HealthStatus.Healthy)
            {
                healthy.Add(update.ResourceId);
            }
            else
            {
                healthy.Remove(update.ResourceId);
            }

            if (healthy.Count == count)
            {
                return;
            }
        }
    }

    /// <summary>Kills a replica's process tree at once, as a crash or an evicted container would end it.</summary>
    public void Kill(string node)
    {
        using var process = Process.GetProcessById(ProcessId(node));
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>
    /// Stops a replica the way Container Apps or Kubernetes do, with SIGTERM, and waits until it has exited: it drains
    /// first. (The dashboard's stop command gives a replica too little time to drain and reports a failure.)
    /// </summary>
    public async Task StopAsync(string node)
    {
        using (var kill = Process.Start("kill", ["-TERM", ProcessId(node).ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            if (kill.ExitCode != 0)
            {
                throw new InvalidOperationException($"kill -TERM of {node} failed with {kill.ExitCode}.");
            }
        }

        await WaitForAsync(node, snapshot => snapshot.State?.Text == KnownResourceStates.Exited || snapshot.State?.Text == KnownResourceStates.Finished);
    }

    /// <summary>Starts a stopped or killed replica again and waits until it reports healthy.</summary>
    public async Task StartAsync(string node)
    {
        var result = await _app.ResourceCommands.ExecuteCommandAsync(node, KnownResourceCommands.StartCommand);
        if (!result.Success)
        {
            throw new InvalidOperationException($"Starting {node} failed: {result.Message}");
        }

        await WaitForAsync(node, snapshot => snapshot.HealthStatus == HealthStatus.Healthy);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _tracking;
        _stopping.Dispose();
    }

    private async Task WaitForAsync(string node, Func<CustomResourceSnapshot, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _app.ResourceNotifications.WaitForResourceAsync(_resource,
            update => update.ResourceId == node && condition(update.Snapshot), timeout.Token);
    }

    private int ProcessId(string node) =>
        Convert.ToInt32(_replicas[node].Properties.Single(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);

    private async Task TrackAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in _app.ResourceNotifications.WatchAsync(cancellationToken))
            {
                if (update.Resource.Name == _resource)
                {
                    _replicas[update.ResourceId] = update.Snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
