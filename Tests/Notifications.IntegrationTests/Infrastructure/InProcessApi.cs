using System.Globalization;
using System.Net;
using Garnet;
using Garnet.server.Auth.Settings;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Api.Connections;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>A real Garnet server inside the test process, with a password and Lua, as the AppHost runs it.</summary>
public sealed class InProcessGarnet : IDisposable
{
    private readonly string _password = Guid.NewGuid().ToString("N");
    private readonly GarnetServer _server;
    private readonly int _port = LoopbackPorts.Free();

    public InProcessGarnet()
    {
        _server = new GarnetServer(["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture),
            "--memory", "64m", "--index", "8m", "--lua", "true"], loggerFactory: null, cleanupDir: false, new PasswordAuthenticationSettings(_password));
        _server.Start();
    }

    public string ConnectionString => $"127.0.0.1:{_port},password={_password}";

    public void Dispose() => _server.Dispose();
}

/// <summary>
/// One API replica hosted in the test process on real Kestrel sockets, for tests that look inside the replica (its
/// registry, its meters, its spans) while driving it from the outside. Any type of the API assembly names its entry
/// point; the AppHost has a Program too.
/// </summary>
public sealed class InProcessReplica : IAsyncDisposable
{
    public const string SigningKey = "in-process-test-signing-key-0123456789abcdef";

    /// <summary>
    /// Every test connects from 127.0.0.1 and many open several connections per user, so the abuse limits are wide
    /// open unless a test sets them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> OpenLimits = new Dictionary<string, string>
    {
        ["Limits:UpgradesPerAddressPerSecond"] = "100000",
        ["Limits:UpgradeBurst"] = "100000",
        ["Limits:ConnectionsPerUser"] = "10000",
        ["Limits:InboundMessagesPerSecond"] = "10000",
        ["Limits:InboundMessageBurst"] = "10000",
        ["Limits:PublishesPerCallerPerSecond"] = "100000",
        ["Limits:PublishBurst"] = "100000",
        ["Limits:MaxPublishBodyBytes"] = "1048576",
    };

    private readonly WebApplicationFactory<ConnectionRegistry> _factory;

    public InProcessReplica(string redisConnectionString, string nodeName, IReadOnlyDictionary<string, string> settings,
        string environment = "Development", Action<IWebHostBuilder>? configure = null)
    {
        _factory = new WebApplicationFactory<ConnectionRegistry>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment(environment)
                .UseSetting("ConnectionStrings:redis", redisConnectionString)
                .UseSetting("Auth:SigningKey", SigningKey)
                .UseSetting(NodeIdentity.ConfigurationKey, nodeName);
            foreach (var (key, value) in OpenLimits.Concat(settings))
            {
                web.UseSetting(key, value);
            }

            configure?.Invoke(web);
        });
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        using var client = _factory.CreateClient();
        Api = new NotificationsApi(client.BaseAddress!);
    }

    public NotificationsApi Api { get; }

    public IServiceProvider Services => _factory.Services;

    public ConnectionRegistry Registry => Services.GetRequiredService<ConnectionRegistry>();

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}

/// <summary>One in-process replica on its own Garnet, with limits small enough to reach within a test.</summary>
public class InProcessApi : IAsyncLifetime
{
    /// <summary>Seconds between keep-alive pings, short so a dead peer is detected within a test.</summary>
    public const int KeepAliveSeconds = 1;

    /// <summary>Small, so a client that stops reading becomes a slow consumer after a few messages.</summary>
    public const int OutboundQueueCapacity = 16;

    private InProcessGarnet? _garnet;
    private InProcessReplica? _replica;

    public NotificationsApi Api => Replica.Api;

    public IServiceProvider Services => Replica.Services;

    public ConnectionRegistry Registry => Replica.Registry;

    private InProcessReplica Replica => _replica ?? throw new InvalidOperationException("Not started.");

    protected virtual Dictionary<string, string> Settings => new()
    {
        ["Connections:KeepAliveInterval"] = $"00:00:0{KeepAliveSeconds}",
        ["Connections:KeepAliveTimeout"] = $"00:00:0{KeepAliveSeconds}",
        ["Connections:OutboundQueueCapacity"] = OutboundQueueCapacity.ToString(CultureInfo.InvariantCulture),
        ["Connections:CloseTimeout"] = "00:00:30",
    };

    public Task InitializeAsync()
    {
        _garnet = new InProcessGarnet();
        _replica = new InProcessReplica(_garnet.ConnectionString, "in-process", Settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_replica is not null)
        {
            await _replica.DisposeAsync();
        }

        _garnet?.Dispose();
    }
}

/// <summary>A replica whose history keeps only a few messages, to step past it.</summary>
public sealed class SmallHistoryApi : InProcessApi
{
    public const int HistoryMaxCount = 3;

    protected override Dictionary<string, string> Settings => new(base.Settings)
    {
        ["History:MaxCount"] = HistoryMaxCount.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Two replicas in one process sharing one Garnet: a message crosses Redis from one to the other. Their background work
/// (cluster reports, lease renewals) runs several times a second, so a test sees plenty of it.
/// </summary>
public sealed class TwoInProcessReplicas : IAsyncLifetime
{
    private static readonly Dictionary<string, string> FrequentHousekeeping = new()
    {
        ["Cluster:ReportInterval"] = "00:00:00.200",
        ["Cluster:EntryLifetime"] = "00:00:01",
        ["Limits:ConnectionLease"] = "00:00:03",
    };

    private readonly InProcessGarnet _garnet = new();

    private InProcessReplica? _first;
    private InProcessReplica? _second;

    public InProcessReplica First => _first ?? throw new InvalidOperationException("Not started.");

    public InProcessReplica Second => _second ?? throw new InvalidOperationException("Not started.");

    public Task InitializeAsync()
    {
        _first = new InProcessReplica(_garnet.ConnectionString, "first", FrequentHousekeeping);
        _second = new InProcessReplica(_garnet.ConnectionString, "second", FrequentHousekeeping);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        _garnet.Dispose();
    }
}
