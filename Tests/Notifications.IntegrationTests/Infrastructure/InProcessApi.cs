using System.Globalization;
using Notifications.Api.Connections;

namespace Notifications.IntegrationTests.Infrastructure;

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
