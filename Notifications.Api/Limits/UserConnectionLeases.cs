using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Limits;

/// <summary>
/// Counts a user's connections across all replicas: each connection holds a lease in a Redis sorted set scored by
/// its expiry. Replicas renew the leases of their live connections; a crashed replica's leases simply run out.
/// </summary>
public sealed class UserConnectionLeases(IConnectionMultiplexer redis, BackplaneKeys keys, IOptions<LimitsOptions> options, TimeProvider time)
{
    /// <summary>KEYS: the user's leases. ARGV: now, expiry, connection id, limit, key lifetime (ms). Returns 1 or 0.</summary>
    private const string AcquireScript = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
          return 0
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    /// <summary>Takes a lease for a new connection; false when the user already holds as many as allowed.</summary>
    public async Task<bool> TryAcquireAsync(string userId, string connectionId)
    {
        var (now, expiry, lifetime) = Clock();
        var granted = await redis.GetDatabase().ScriptEvaluateAsync(AcquireScript, [keys.Leases(userId)],
            [now, expiry, connectionId, options.Value.ConnectionsPerUser, lifetime]);
        return (long)granted == 1;
    }

    public Task ReleaseAsync(string userId, string connectionId) =>
        redis.GetDatabase().SortedSetRemoveAsync(keys.Leases(userId), connectionId);

    /// <summary>Extends the leases of the given live connections, in one round trip.</summary>
    public async Task RenewAsync(IEnumerable<NotificationConnection> connections)
    {
        var (_, expiry, lifetime) = Clock();
        var batch = redis.GetDatabase().CreateBatch();
        var writes = new List<Task>();
        foreach (var user in connections.GroupBy(connection => connection.UserId))
        {
            var key = keys.Leases(user.Key);
            writes.Add(batch.SortedSetAddAsync(key, [.. user.Select(c => new SortedSetEntry(c.Id, expiry))], SortedSetWhen.Exists));
            writes.Add(batch.KeyExpireAsync(key, TimeSpan.FromMilliseconds(lifetime)));
        }

        batch.Execute();
        await Task.WhenAll(writes);
    }

    private (long Now, long Expiry, long KeyLifetime) Clock()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lease = (long)options.Value.ConnectionLease.TotalMilliseconds;
        return (now, now + lease, 2 * lease);
    }
}
