using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notifications.Api.Connections;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// One API replica hosted in the test process on real Kestrel sockets, for tests that look inside the replica (its
/// registry, its meters, its spans) while driving it from the outside. Any type of the API assembly names its entry
/// point; the AppHost has a Program too.
/// </summary>
public sealed class InProcessReplica : IAsyncDisposable
{
    public const string SigningKey = "in-process-test-signing-key-0123456789abcdef";

    private readonly WebApplicationFactory<ConnectionRegistry> _factory;
    private readonly IHostApplicationLifetime _lifetime;

    public InProcessReplica(string redisConnectionString, string nodeName, IReadOnlyDictionary<string, string> settings,
        string environment = "Development", Action<IWebHostBuilder>? configure = null)
    {
        _factory = new WebApplicationFactory<ConnectionRegistry>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment)
                .UseSetting("ConnectionStrings:redis", redisConnectionString)
                .UseSetting("Auth:SigningKey", SigningKey)
                .UseSetting(NodeIdentity.ConfigurationKey, nodeName);
            foreach (var (key, value) in ApiProcess.OpenLimits.Concat(settings))
            {
                web.UseSetting(key, value);
            }

            configure?.Invoke(web);
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        _lifetime = Services.GetRequiredService<IHostApplicationLifetime>();
        using var client = _factory.CreateClient();
        Api = new NotificationsApi(client.BaseAddress!);
    }

    public NotificationsApi Api { get; }

    public IServiceProvider Services => _factory.Services;

    public ConnectionRegistry Registry => Services.GetRequiredService<ConnectionRegistry>();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _factory.DisposeAsync();
        }
        // A replica told to stop (StopApplication) runs its own shutdown and disposes its services when its Program's
        // Run returns; the factory's stop then calls the hosted services' StopAsync a second time, on disposed services.
        catch (ObjectDisposedException) when (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
    }
}
