using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// The real AppHost (embedded Garnet, three API replicas behind the DCP proxy, the web app) and Debian's Chromium,
/// started once for every browser test.
/// </summary>
public sealed class BrowserAppHostFixture : IAsyncLifetime
{
    public const string ApiResource = "notifications-api";
    public const string WebResource = "notifications-web";
    public const int Replicas = 3;

    /// <summary>Short enough that a killed replica leaves the cluster view within seconds.</summary>
    public static readonly TimeSpan ClusterEntryLifetime = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly ConcurrentDictionary<string, CustomResourceSnapshot> _replicas = new();
    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;
    private IPlaywright? _playwright;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The web app as a browser opens it; its origin is the one the AppHost allows on the API.</summary>
    public Uri WebUrl { get; private set; } = null!;

    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>Where screenshots go: under the test output, so a failure can be looked at.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["Backplane:Host=Garnet", $"NotificationsApi:Replicas={Replicas}",
             "NotificationsApi:Settings:Cluster:ReportInterval=00:00:01",
             $"NotificationsApi:Settings:Cluster:EntryLifetime={ClusterEntryLifetime:c}"], timeout.Token);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        _ = TrackReplicasAsync(_stopping.Token);
        await WaitForHealthyReplicasAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(WebResource, timeout.Token);

        WebUrl = _app.GetEndpoint(WebResource, "http");
        ApiUrl = _app.GetEndpoint(ApiResource, "http");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's Chromium: Playwright's own browser download needs a network this machine does not have.
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
        SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>A fresh browser profile (its own cookies: its own signed-in user).</summary>
    public async Task<UserSession> NewSessionAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = WebUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1440, Height = 1000 },
        });
        return new UserSession(context);
    }

    /// <summary>
    /// Stops a replica the way Container Apps or Kubernetes do, with SIGTERM, and waits until it has exited: it
    /// drains first, closing its clients with 1012.
    /// </summary>
    public async Task StopReplicaAsync(string node)
    {
        using (var kill = Process.Start("kill", ["-TERM", ReplicaProcessId(node).ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        await WaitForReplicaAsync(node, snapshot => snapshot.State?.Text == KnownResourceStates.Exited || snapshot.State?.Text == KnownResourceStates.Finished);
    }

    /// <summary>Kills a replica's process tree at once, as a crash would: it never takes its cluster entry out.</summary>
    public void KillReplica(string node)
    {
        using var process = Process.GetProcessById(ReplicaProcessId(node));
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Starts a stopped or killed replica again and waits until it reports healthy.</summary>
    public async Task StartReplicaAsync(string node)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(node, KnownResourceCommands.StartCommand);
        Assert.True(result.Success, $"Starting {node} failed: {result.Message}");
        await WaitForReplicaAsync(node, snapshot => snapshot.HealthStatus == HealthStatus.Healthy);
    }

    /// <summary>The replicas' node names (which are their resource ids).</summary>
    public IReadOnlyCollection<string> ReplicaNodes => [.. _replicas.Keys.Order(StringComparer.Ordinal)];

    private async Task WaitForReplicaAsync(string node, Func<CustomResourceSnapshot, bool> condition)
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.ResourceNotifications.WaitForResourceAsync(ApiResource,
            update => update.ResourceId == node && condition(update.Snapshot), timeout.Token);
    }

    private int ReplicaProcessId(string node) =>
        Convert.ToInt32(_replicas[node].Properties.Single(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);

    private async Task TrackReplicasAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in App.ResourceNotifications.WatchAsync(cancellationToken))
            {
                if (update.Resource.Name == ApiResource)
                {
                    _replicas[update.ResourceId] = update.Snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Each replica reports its own health; waiting on the resource name alone would return after the first.</summary>
    private async Task WaitForHealthyReplicasAsync(CancellationToken cancellationToken)
    {
        var healthy = new HashSet<string>();
        await foreach (var update in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name != ApiResource)
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

            if (healthy.Count == Replicas)
            {
                return;
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserAppHost : ICollectionFixture<BrowserAppHostFixture>
{
    public const string Name = "AppHost and Chromium";
}
