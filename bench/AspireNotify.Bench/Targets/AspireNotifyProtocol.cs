using System.Net.WebSockets;
using Notifications.Processes;

namespace AspireNotify.Bench.Targets;

/// <summary>AspireNotify's own protocol: <c>/ws</c> with a signed token per user; frames carry the data as published.</summary>
public sealed class AspireNotifyProtocol : WireProtocol
{
    public static AspireNotifyProtocol Instance { get; } = new();

    public override Uri SocketUri(Uri server, string userId) => WebSocketUri(server, Notifications.Contract.Routes.WebSocket, userId: null);

    public override void Configure(ClientWebSocketOptions options, string userId) =>
        options.SetRequestHeader("Authorization", $"Bearer {Tokens.For(userId)}");
}
