namespace AspireNotify.Bench.Targets;

/// <summary>The seed's Node server: <c>/ws?userId=…</c>, no auth, one plain JSON message per notification.</summary>
public sealed class SeedProtocol : WireProtocol
{
    public static SeedProtocol Instance { get; } = new();

    public override Uri SocketUri(Uri server, string userId) => WebSocketUri(server, "/ws", userId);
}
