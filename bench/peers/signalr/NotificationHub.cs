using Microsoft.AspNetCore.SignalR;

namespace SignalRPeer;

/// <summary>Clients only listen; the hub counts them for <c>/health/websocket</c>.</summary>
public sealed class NotificationHub(HubConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        connections.Add(Context.UserIdentifier);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.UserIdentifier);
        return Task.CompletedTask;
    }
}
