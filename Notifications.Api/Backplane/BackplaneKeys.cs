using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// Every Redis key and channel the service uses, under one prefix. Per stream: its epoch, a sequence counter, a capped
/// history (sorted set, score = seq), idempotency keys and a pub/sub channel, all with the stream as hash tag so that
/// Redis Cluster keeps them in one slot and one script can touch them all. One cluster directory for the deployment.
/// </summary>
public sealed class BackplaneKeys(string prefix, bool sharded = false)
{
    /// <summary>The replicas' reports for <c>GET /api/cluster</c>: a hash of node name → report.</summary>
    public RedisKey Cluster { get; } = prefix + "cluster";

    /// <summary>Whether channels are sharded (<c>SSUBSCRIBE</c>/<c>SPUBLISH</c>): each lives on the primary of its slot.</summary>
    public bool Sharded => sharded;

    public RedisKey Epoch(string stream) => prefix + "{" + stream + "}:epoch";

    public RedisKey Sequence(string stream) => prefix + "{" + stream + "}:seq";

    public RedisKey History(string stream) => prefix + "{" + stream + "}:history";

    public RedisKey Idempotency(string stream, string key) => prefix + "{" + stream + "}:idempotency:" + key;

    /// <summary>Who reads a topic: a hash of node name → that replica's last report of the topic's subscribers.</summary>
    public RedisKey Presence(string topic) => prefix + "{" + Streams.ForTopic(topic) + "}:presence";

    /// <summary>Set while joins and leaves of a topic are published into it.</summary>
    public RedisKey PresenceEvents(string topic) => prefix + "{" + Streams.ForTopic(topic) + "}:presence-events";

    /// <summary>The leases of a user's open connections, across replicas.</summary>
    public RedisKey Leases(string userId) => prefix + "leases:" + userId;

    /// <summary>A classic channel is named after the stream; a sharded one carries the stream's hash tag, like its keys.</summary>
    public RedisChannel Channel(string stream) => sharded
        ? RedisChannel.Sharded(prefix + "{" + stream + "}")
        : RedisChannel.Literal(prefix + stream);
}
