using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// The real AppHost (embedded Garnet, three API replicas behind the DCP proxy, the web app) and Debian's Chromium,
/// started once for every browser test.
/// </summary>
public sealed class BrowserAppHostFixture : IAsyncLifetime
{
    public const int ReplicaCount = 3;

    /// <summary>Short enough that a killed replica leaves the cluster view within seconds.</summary>
    public static readonly TimeSpan ClusterEntryLifetime = TimeSpan.FromSeconds(3);

    /// <summary>Above the sign-ins of every browser test in one minute (the web app's default is 10 per address).</summary>
    private const int SignInsPerMinute = 200;

    private DistributedApplication? _app;
    private IPlaywright? _playwright;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The web app as a browser opens it; its origin is the one the AppHost allows on the API.</summary>
    public Uri WebUrl { get; private set; } = null!;

    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The API replicas, to kill, stop (SIGTERM) and start again.</summary>
    public ApiReplicas Replicas { get; private set; } = null!;

    /// <summary>Where screenshots go: under the test output, so a failure can be looked at.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        (_app, Replicas) = await TestAppHost.StartAsync<Projects.AppHost>(
            ["Backplane:Host=Garnet",
             "NotificationsApi:Settings:Cluster:ReportInterval=00:00:01",
             $"NotificationsApi:Settings:Cluster:EntryLifetime={ClusterEntryLifetime:c}"], ReplicaCount, timeout.Token,
            // Every test signs in from the same loopback address, more often than a person would in a minute; the limit
            // itself is tested in DeployedTests and the web tests.
            builder => builder.CreateResourceBuilder<ProjectResource>(ServiceNames.Web)
                .WithEnvironment("SignIn__AttemptsPerMinute", SignInsPerMinute.ToString(CultureInfo.InvariantCulture)));
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(ServiceNames.Web, timeout.Token);

        WebUrl = _app.GetEndpoint(ServiceNames.Web, "http");
        ApiUrl = _app.GetEndpoint(ServiceNames.Api, "http");
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        SetDefaultExpectTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (Replicas is not null)
        {
            await Replicas.DisposeAsync();
        }

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
    public Task<UserSession> NewSessionAsync() => Chromium.NewSessionAsync(Browser, WebUrl);
}

[CollectionDefinition(Name)]
public sealed class BrowserAppHost : ICollectionFixture<BrowserAppHostFixture>
{
    public const string Name = "AppHost and Chromium";
}
