namespace AspireNotify.Bench.Targets;

/// <summary>
/// One server under comparison, running: its instances sharing one redis-server, the processes whose memory and CPU
/// are the server's, and how its clients speak. Disposing it stops them all.
/// </summary>
public sealed class BenchTarget(string name, WireProtocol protocol, IReadOnlyList<Uri> instances, IReadOnlyList<int> serverProcessIds,
    int redisProcessId, IAsyncDisposable processes) : IAsyncDisposable
{
    /// <summary>The column title in the comparison.</summary>
    public string Name { get; } = name;

    public WireProtocol Protocol { get; } = protocol;

    public IReadOnlyList<Uri> Instances { get; } = instances;

    public IReadOnlyList<int> ServerProcessIds { get; } = serverProcessIds;

    public int RedisProcessId { get; } = redisProcessId;

    /// <summary>Connections held by every instance together, as their <c>/health/websocket</c> say.</summary>
    public async Task<int> ConnectionsAsync()
    {
        var counts = await Task.WhenAll(Instances.Select(PeerProcess.ConnectionsAsync));
        return counts.Sum();
    }

    public ValueTask DisposeAsync() => processes.DisposeAsync();
}
