using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

public sealed class DrainTests
{
    [Fact]
    public async Task A_draining_replica_reports_unready_refuses_upgrades_with_503_and_closes_clients_with_1012()
    {
        using var garnet = new InProcessGarnet();
        await using var replica = new InProcessReplica(garnet.ConnectionString, "draining", new Dictionary<string, string>
        {
            ["Connections:DrainWindow"] = "00:00:10",
            ["Connections:CloseTimeout"] = "00:00:30",
        });
        var token = await replica.Api.TokenAsync("drained");
        await using var polite = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token);
        // This one never reads, so it never completes its close handshake and the replica keeps draining.
        using var stubborn = new ClientWebSocket();
        await stubborn.ConnectAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token), CancellationToken.None);
        using var http = replica.Api.NewClient();

        replica.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.Equal((WebSocketCloseStatus)1012, await polite.ClosedByServerAsync());
        using var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal((int)HttpStatusCode.ServiceUnavailable,
            await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token)));
    }
}
