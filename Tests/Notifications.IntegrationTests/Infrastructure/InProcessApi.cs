using System.Net;
using System.Net.Sockets;
using Garnet;
using Garnet.server.Auth.Settings;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Connections;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// One API replica hosted in the test process on real Kestrel sockets, with a real Garnet backplane, for tests that
/// look inside the replica (its registry, its meters) while driving it from the outside. Any type of the API assembly
/// names its entry point; the AppHost has a Program too.
/// </summary>
public sealed class InProcessApi : IAsyncLifetime
{
    public const string SigningKey = "in-process-test-signing-key-0123456789abcdef";

    private readonly string _garnetPassword = Guid.NewGuid().ToString("N");
    private GarnetServer? _garnet;
    private WebApplicationFactory<ConnectionRegistry>? _factory;

    /// <summary>Seconds between keep-alive pings, short so a dead peer is detected within a test.</summary>
    public const int KeepAliveSeconds = 1;

    /// <summary>Small, so a client that stops reading becomes a slow consumer after a few messages.</summary>
    public const int OutboundQueueCapacity = 16;

    public NotificationsApi Api { get; private set; } = null!;

    public IServiceProvider Services => _factory!.Services;

    public ConnectionRegistry Registry => Services.GetRequiredService<ConnectionRegistry>();

    public Task InitializeAsync()
    {
        var garnetPort = FreePort();
        _garnet = new GarnetServer(["--bind", "127.0.0.1", "--port", garnetPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--memory", "64m", "--index", "8m", "--lua", "true"],
            loggerFactory: null, cleanupDir: false, new PasswordAuthenticationSettings(_garnetPassword));
        _garnet.Start();

        _factory = new WebApplicationFactory<ConnectionRegistry>().WithWebHostBuilder(web => web
            .UseEnvironment("Development")
            .UseSetting("ConnectionStrings:redis", $"127.0.0.1:{garnetPort},password={_garnetPassword}")
            .UseSetting("Auth:SigningKey", SigningKey)
            .UseSetting("Connections:KeepAliveInterval", $"00:00:0{KeepAliveSeconds}")
            .UseSetting("Connections:KeepAliveTimeout", $"00:00:0{KeepAliveSeconds}")
            .UseSetting("Connections:OutboundQueueCapacity", OutboundQueueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Connections:CloseTimeout", "00:00:30")
            .UseSetting("Notifications:NodeName", "in-process"));
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = _factory.CreateClient();
        Api = new NotificationsApi(client.BaseAddress!);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _garnet?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
