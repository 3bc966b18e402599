using System.Globalization;
using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace AppHost.Backplane;

/// <summary>
/// <c>Backplane:Host=Sentinel</c>: a primary redis-server, a replica, and three Sentinels that promote the replica when
/// the primary stops answering. Resources are named by position, not role: roles swap with every failover.
/// </summary>
public static class SentinelTopology
{
    /// <summary>The name the Sentinels monitor the primary under, and clients ask them for.</summary>
    public const string MasterName = "aspirenotify";

    public static readonly IReadOnlyList<string> Servers = ["redis-1", "redis-2"];

    public static readonly IReadOnlyList<string> Sentinels = ["sentinel-1", "sentinel-2", "sentinel-3"];

    private const string ReadyCheck = "redis-sentinel-ready";

    /// <summary>
    /// The connection string lists the Sentinels (StackExchange.Redis asks them for the primary) and turns healthy only
    /// once a failover could happen: the API replicas wait for that.
    /// </summary>
    public static BackplaneConnection AddSentinelTopology(this IDistributedApplicationBuilder builder)
    {
        LocalRedis.RequireInstalled("redis-sentinel", "redis-sentinel", BackplaneHost.Sentinel);
        var redis = new LocalRedis(builder, BackplaneHost.Sentinel);
        var primary = redis.AddServer(Servers[0], []);
        var replica = redis.AddServer(Servers[1], [$"replicaof {LocalRedis.Address} {primary.Port}"]);
        var sentinels = Sentinels.Select(name => redis.AddSentinel(name, MasterName, [
            $"sentinel monitor {MasterName} {LocalRedis.Address} {primary.Port} 2",
            // Fast enough for a test to wait for a failover, slow enough that a sentinel starved of CPU for a second does not start one.
            $"sentinel down-after-milliseconds {MasterName} 2000",
            $"sentinel failover-timeout {MasterName} 5000"])).ToList();
        var ready = redis.AddHealthCheck(ReadyCheck, password => ReadinessAsync([primary, replica], sentinels, password));

        var sentinelAddresses = string.Join(',', sentinels.Select(sentinel => sentinel.Address));
        var connectionString = builder.AddConnectionString(BackplaneResources.ConnectionName,
                ReferenceExpression.Create($"{sentinelAddresses},serviceName={MasterName},password={redis.Password}"))
            .WithHealthCheck(ready);
        foreach (var node in sentinels.Prepend(replica).Prepend(primary))
        {
            connectionString.WaitFor(node.Resource);
        }

        return new BackplaneConnection(connectionString, BackplaneTopology.Sentinel);
    }

    /// <summary>
    /// Ready once every Sentinel sees a quorum that can authorize a failover, all name the same master, each knows a
    /// replica it could promote, and that replica's link to the master is up (its first sync done).
    /// </summary>
    private static async Task<HealthCheckResult> ReadinessAsync(IReadOnlyList<LocalRedisNode> servers, IReadOnlyList<LocalRedisNode> sentinels,
        string password)
    {
        var masters = new HashSet<int>();
        var replicas = new HashSet<int>();
        await using (var connection = await RedisProbe.ConnectToSentinelsAsync(sentinels.Select(sentinel => sentinel.Port), password))
        {
            foreach (var sentinel in sentinels)
            {
                if (await ProblemAsync(connection.Server(sentinel), masters, replicas) is { } problem)
                {
                    return HealthCheckResult.Unhealthy($"{sentinel.Name}: {problem}");
                }
            }
        }

        if (masters.Count != 1)
        {
            return HealthCheckResult.Unhealthy("The Sentinels do not agree on the master yet.");
        }

        await using var data = await RedisProbe.ConnectAsync(replicas, password);
        foreach (var replica in servers.Where(server => replicas.Contains(server.Port)))
        {
            if (!(await data.Server(replica).InfoTextAsync("replication")).Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return HealthCheckResult.Unhealthy($"{replica.Name} is still syncing with the master.");
            }
        }

        return HealthCheckResult.Healthy();
    }

    /// <summary>What this Sentinel still lacks, if anything; adds the master and promotable replicas it names.</summary>
    private static async Task<string?> ProblemAsync(IServer sentinel, HashSet<int> masters, HashSet<int> replicas)
    {
        try
        {
            await sentinel.ExecuteAsync("SENTINEL", "CKQUORUM", MasterName);
        }
        catch (RedisServerException noQuorum)
        {
            return noQuorum.Message;
        }

        if (await sentinel.SentinelGetMasterAddressByNameAsync(MasterName) is not IPEndPoint master)
        {
            return "no master yet.";
        }

        masters.Add(master.Port);
        // Only a replica this Sentinel sees as plainly "slave" (not s_down, not disconnected) can be promoted.
        var promotable = (await sentinel.SentinelReplicasAsync(MasterName))
            .Select(fields => fields.ToDictionary(field => field.Key, field => field.Value))
            .Where(fields => fields["flags"] == "slave")
            .Select(fields => int.Parse(fields["port"], CultureInfo.InvariantCulture))
            .ToList();
        replicas.UnionWith(promotable);
        return promotable.Count == 0 ? "knows no replica it could promote yet." : null;
    }
}
