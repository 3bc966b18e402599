using AppHost.FrontDoors;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// The system as AppHost/infra/*.tmpl.yaml deploys it, on this machine: three API replicas and the published web app
/// in Production, configured by the environment variables the templates set, with the API behind Debian's nginx
/// standing in for the Container Apps ingress, and Redis with the password and persistence the Redis app has. Two web
/// apps: one signs people in with an access code, the other has none (sign-in off).
/// </summary>
public sealed class DeployedFixture : IAsyncLifetime
{
    public const string AccessCode = "deployed-fixture-access-code-0123";
    public const int ReplicaCount = 3;

    private IPlaywright? _playwright;
    private string? _publishDirectory;

    public LocalCluster Cluster { get; private set; } = null!;

    /// <summary>The API's ingress: what browsers and backends reach (the templates' https://notifications-api.&lt;domain&gt;).</summary>
    public FrontDoorProcess Ingress { get; private set; } = null!;

    public PublishedWebApp Web { get; private set; } = null!;

    public PublishedWebApp WebWithoutCode { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var configuration = ApiProcess.ConfigurationOf(typeof(DeployedFixture));
        var webPort = LoopbackPorts.Free();
        var webOrigin = $"http://127.0.0.1:{webPort}";
        Cluster = await LocalCluster.StartAsync(ReplicaCount, new Dictionary<string, string>
        {
            // As notifications-api.tmpl.yaml sets them (the origin and the proxy's address are this machine's).
            ["Connections__AllowedOrigins__0"] = webOrigin,
            ["FrontDoor__TrustedNetworks__0"] = "127.0.0.0/8",
        }, configuration, new RedisServerOptions { Durable = true });
        Ingress = await FrontDoorProcess.StartAsync(FrontDoorKind.Nginx, Cluster.Replicas,
            FrontDoorSettings.IdleTimeoutFor(TimeSpan.FromSeconds(30)));
        _publishDirectory = await PublishedWebApp.PublishAsync(configuration);
        Web = await PublishedWebApp.StartAsync(_publishDirectory, WebEnvironment(AccessCode), webPort);
        WebWithoutCode = await PublishedWebApp.StartAsync(_publishDirectory, WebEnvironment(accessCode: null), LoopbackPorts.Free());
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
        SetDefaultExpectTimeout(30_000);
    }

    public Task<UserSession> NewSessionAsync() => Chromium.NewSessionAsync(Browser, Web.BaseAddress);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        foreach (var disposable in new IAsyncDisposable?[] { Web, WebWithoutCode, Ingress, Cluster })
        {
            if (disposable is not null)
            {
                await disposable.DisposeAsync();
            }
        }

        if (_publishDirectory is not null)
        {
            Directory.Delete(_publishDirectory, recursive: true);
        }
    }

    /// <summary>As notifications-web.tmpl.yaml sets them, with this machine's addresses for the environment's.</summary>
    private Dictionary<string, string> WebEnvironment(string? accessCode)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["LiveFeed__ApiUrl"] = Ingress.BaseAddress.ToString(),
            [$"services__{ServiceNames.Api}__http__0"] = Ingress.BaseAddress.ToString(),
            ["SignIn__SigningKey"] = Tokens.SigningKey,
        };
        if (accessCode is not null)
        {
            environment["SignIn__AccessCode"] = accessCode;
        }

        return environment;
    }
}

[CollectionDefinition(Name)]
public sealed class Deployed : ICollectionFixture<DeployedFixture>
{
    public const string Name = "Deployed: Production processes behind nginx, and Chromium";
}
