using System.Net.Http.Json;
using System.Text.Json;
using AppHost.FrontDoors;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary><c>dotnet run --project AppHost -- --Proxy:Kind=…</c>: the local cluster behind the real nginx or HAProxy.</summary>
public sealed class AppHostFrontDoorTests
{
    [Theory]
    [InlineData(FrontDoorKind.Nginx)]
    [InlineData(FrontDoorKind.HAProxy)]
    public async Task The_AppHost_runs_the_replicas_behind_the_front_door_it_is_asked_for(FrontDoorKind kind)
    {
        using var timeout = new CancellationTokenSource(TestAppHost.StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["Backplane:Host=Garnet", $"Proxy:Kind={kind}", $"Proxy:Port={LoopbackPorts.Free()}"], timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(ServiceNames.Api, timeout.Token);
        var api = new NotificationsApi(app.GetEndpoint(ServiceNames.Api, "http"));

        var nodes = await Eventually.UntilAsync("the front door to reach every replica", async token =>
        {
            var seen = new HashSet<string>();
            for (var attempt = 0; attempt < 12; attempt++)
            {
                using var http = api.NewClient();
                seen.Add((await http.GetFromJsonAsync<JsonElement>("/health/websocket", token)).GetProperty("node").GetString()!);
            }

            return seen.Count == 3 ? seen : null;
        });
        await using var socket = await NotificationSocket.ConnectAsync(api.BaseAddress, await api.TokenAsync("behind-the-door"));
        using var publish = api.NewClient();
        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(publish,
            await api.TokenAsync("backend", TokenClaims.PublisherRole), "behind-the-door", new { data = kind.ToString() }), "user:behind-the-door");

        Assert.All(nodes, node => Assert.StartsWith($"{ServiceNames.Api}-", node, StringComparison.Ordinal));
        Assert.Equal(id, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
    }
}
