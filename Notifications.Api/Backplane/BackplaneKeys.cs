using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// Every Redis key and channel the service uses, under one prefix. Per stream: a sequence counter, a capped history
/// (sorted set, score = seq) and a pub/sub channel; one history epoch and one cluster directory for the whole deployment.
/// </summary>
public sealed class BackplaneKeys(string prefix)
{
    public RedisKey Epoch { get; } = prefix + "epoch";

    /// <summary>The replicas' reports for <c>GET /api/cluster</c>: a hash of node name → report.</summary>
    public RedisKey Cluster { get; } = prefix + "cluster";

    public RedisKey Sequence(string stream) => prefix + "seq:" + stream;

    public RedisKey History(string stream) => prefix + "history:" + stream;

    public RedisKey Idempotency(string stream, string key) => prefix + "idempotency:" + stream + ":" + key;

    /// <summary>The leases of a user's open connections, across replicas.</summary>
    public RedisKey Leases(string userId) => prefix + "leases:" + userId;

    public RedisChannel Channel(string stream) => RedisChannel.Literal(prefix + stream);
}
