namespace AspireNotify.Bench.Planning;

/// <summary>
/// What a capacity plan is asked for and what it assumes, each with the default <c>bench/run.sh plan</c> uses.
/// </summary>
/// <param name="Connections">Open WebSocket connections, all replicas together.</param>
/// <param name="Publishes">Per-user publishes per second (HTTP publishes to one user each).</param>
/// <param name="Broadcasts">Broadcasts per second; each goes to every connection.</param>
/// <param name="ConnectionsPerUser">Connections of one user (tabs, devices): deliveries per per-user publish, subscribed replicas per user stream.</param>
/// <param name="ReplicaCores">Cores of one API replica.</param>
/// <param name="ReplicaMemoryGiB">Memory of one API replica.</param>
/// <param name="Headroom">Share of every core and GiB left free in steady state, for bursts, GC and one replica failing.</param>
/// <param name="ReconnectShare">Share of all connections that reconnect at once in a storm (an ingress restart: all of them).</param>
/// <param name="ReconnectSeconds">Seconds the storm is spread over (the client's full-jitter backoff reaches 30 s at most).</param>
/// <param name="RedisReplicas">Replicas of each Redis primary (failover; Sentinel or Cluster).</param>
/// <param name="Wait">Whether each publish waits for a replica (<c>Backplane:MinReplicasToAcknowledge</c> ≥ 1, Sentinel's and Cluster's default).</param>
/// <param name="WorkstationGc">Replicas run with <c>DOTNET_gcServer=0</c> (less working set per connection).</param>
public sealed record PlanAssumptions(long Connections, double Publishes, double Broadcasts, double ConnectionsPerUser = 1,
    double ReplicaCores = 2, double ReplicaMemoryGiB = 4, double Headroom = 0.3, double ReconnectShare = 1, double ReconnectSeconds = 30,
    int RedisReplicas = 1, bool Wait = true, bool WorkstationGc = false)
{
    /// <summary>Why these assumptions cannot be planned for, or null.</summary>
    public string? Problem() => this switch
    {
        { Connections: < 1 } => "--connections must be at least 1",
        { Publishes: < 0 } or { Broadcasts: < 0 } => "--publishes and --broadcasts must not be negative",
        { ConnectionsPerUser: < 1 } => "--connections-per-user must be at least 1",
        { ReplicaCores: <= 0 } or { ReplicaMemoryGiB: <= 0 } => "--replica-cores and --replica-gib must be positive",
        { Headroom: < 0 or >= 1 } => "--headroom is the share left free: at least 0, below 1",
        { ReconnectShare: < 0 or > 1 } => "--reconnect-share is a share of all connections: 0 to 1",
        { ReconnectSeconds: <= 0 } => "--reconnect-seconds must be positive",
        { RedisReplicas: < 0 } => "--redis-replicas must not be negative",
        { Wait: true, RedisReplicas: 0 } => "--wait 1 needs a replica to wait for: --redis-replicas 1 or --wait 0",
        _ => null,
    };

    /// <summary>The share of a core or a GiB a plan may use in steady state.</summary>
    public double Usable => 1 - Headroom;
}
