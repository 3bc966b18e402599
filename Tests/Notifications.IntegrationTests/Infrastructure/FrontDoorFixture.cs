using AppHost.FrontDoors;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>
/// Three API replicas in their own processes behind Debian's nginx or HAProxy, run from the configuration in
/// deploy/. The heartbeat is one second, so the proxy's idle timeout (three heartbeats) is three.
/// </summary>
public abstract class FrontDoorFixture(FrontDoorKind kind) : IAsyncLifetime
{
    public const int ReplicaCount = 3;
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(1);

    /// <summary>The replicas trust the front door's address, and only it, for X-Forwarded-For.</summary>
    public static readonly IReadOnlyDictionary<string, string> BehindTheFrontDoor = new Dictionary<string, string>
    {
        ["FrontDoor__TrustedProxies__0"] = "127.0.0.1",
        ["Connections__KeepAliveInterval"] = KeepAliveInterval.ToString("c"),
        ["Connections__KeepAliveTimeout"] = KeepAliveInterval.ToString("c"),
    };

    private LocalCluster? _cluster;
    private FrontDoorProcess? _frontDoor;

    public FrontDoorKind Kind => kind;

    public static TimeSpan IdleTimeout => FrontDoorSettings.IdleTimeoutFor(KeepAliveInterval);

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public FrontDoorProcess FrontDoor => _frontDoor ?? throw new InvalidOperationException("Not started.");

    /// <summary>The API as clients reach it: through the front door, with tokens the replicas' key signs.</summary>
    public NotificationsApi Api => NotificationsApi.WithMintedTokens(FrontDoor.BaseAddress);

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(ReplicaCount, BehindTheFrontDoor, ApiProcess.ConfigurationOf(typeof(FrontDoorFixture)),
            new RedisServerOptions { Durable = false });
        _frontDoor = await FrontDoorProcess.StartAsync(kind, _cluster.Replicas, IdleTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_frontDoor is not null)
        {
            await _frontDoor.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

public sealed class NginxFixture() : FrontDoorFixture(FrontDoorKind.Nginx);

public sealed class HAProxyFixture() : FrontDoorFixture(FrontDoorKind.HAProxy);
