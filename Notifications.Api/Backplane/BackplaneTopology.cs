namespace Notifications.Api.Backplane;

/// <summary>What kind of Redis deployment the connection string leads to; <c>Backplane:Topology</c> says which.</summary>
public enum BackplaneTopology
{
    /// <summary>One server, as Redis calls it (Redis, Garnet, or a managed Redis that fails over behind one address).</summary>
    Standalone,

    /// <summary>A primary with replicas watched by Redis Sentinel; the connection string names the sentinels and <c>serviceName=</c>.</summary>
    Sentinel,

    /// <summary>Redis Cluster: streams spread over the primaries by hash slot, with sharded pub/sub (Redis 7).</summary>
    Cluster,
}
