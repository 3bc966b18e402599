using System.Net.WebSockets;

namespace AspireNotify.Bench.Targets;

/// <summary>
/// How the clients of one target speak over a plain <see cref="ClientWebSocket"/>: where a user connects, what is
/// said before messages flow, and what a frame from the server needs answered. The load itself (connecting, reading,
/// scanning for the publish timestamps) is the same for every target.
/// </summary>
public abstract class WireProtocol
{
    /// <summary>The socket URI for <paramref name="userId"/> on the instance at <paramref name="server"/>.</summary>
    public abstract Uri SocketUri(Uri server, string userId);

    /// <summary>Request headers, such as a token.</summary>
    public virtual void Configure(ClientWebSocketOptions options, string userId)
    {
    }

    /// <summary>What must be exchanged after the upgrade before the connection counts as open.</summary>
    public virtual Task HandshakeAsync(WebSocket socket, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The frame to send back for <paramref name="frame"/>, or nothing.</summary>
    public virtual ReadOnlyMemory<byte> Answer(ReadOnlySpan<byte> frame) => ReadOnlyMemory<byte>.Empty;

    protected static Uri WebSocketUri(Uri server, string path, string? userId) =>
        new UriBuilder(server) { Scheme = "ws", Path = path, Query = userId is null ? "" : $"userId={Uri.EscapeDataString(userId)}" }.Uri;
}
