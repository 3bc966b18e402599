using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AppHost.Backplane;

/// <summary>
/// <c>Backplane:Host=Cluster</c>: six redis-server nodes in cluster mode, joined by redis-cli into three primaries with a
/// replica each; a replica takes over the slots of a primary that stops answering. Nodes are named by position, not
/// role: roles swap with every failover.
/// </summary>
public static class ClusterTopology
{
    public static readonly IReadOnlyList<string> Nodes = ["redis-1", "redis-2", "redis-3", "redis-4", "redis-5", "redis-6"];

    /// <summary>The one-shot redis-cli run that joins the nodes.</summary>
    public const string CreateName = "redis-cluster-create";

    private const string ReadyCheck = "redis-cluster-ready";

    /// <summary>
    /// The connection string lists every node (StackExchange.Redis learns the slots from any of them) and turns healthy
    /// only once the cluster serves every slot and every replica is in sync: the API replicas wait for that.
    /// </summary>
    public static BackplaneConnection AddClusterTopology(this IDistributedApplicationBuilder builder)
    {
        LocalRedis.RequireInstalled("redis-cli", "redis-tools", BackplaneHost.Cluster);
        var redis = new LocalRedis(builder, BackplaneHost.Cluster);
        var nodes = Nodes.Select(name => redis.AddServer(name, [
            "cluster-enabled yes",
            "cluster-config-file nodes.conf",
            // The bus port is the client port + 10000 unless set, past 65535 for a high free port.
            $"cluster-port {LocalExecutables.FreePort()}",
            // Three seconds without an answer and a primary is failing: a failover tests can wait for, and not one that a
            // node starved of CPU for a second sets off.
            "cluster-node-timeout 3000"])).ToList();
        var create = builder.AddClusterCreate(redis, nodes);
        var ready = redis.AddHealthCheck(ReadyCheck, password => ReadinessAsync(nodes, password));

        var addresses = string.Join(',', nodes.Select(node => node.Address));
        var connectionString = builder.AddConnectionString(BackplaneResources.ConnectionName,
                ReferenceExpression.Create($"{addresses},password={redis.Password}"))
            .WaitForCompletion(create)
            .WithHealthCheck(ready);
        return new BackplaneConnection(connectionString, BackplaneTopology.Cluster);
    }

    /// <summary>
    /// redis-cli joins the nodes once they all answer. It leaves a cluster that exists already alone, so that starting it
    /// again from the dashboard does no harm.
    /// </summary>
    private static IResourceBuilder<ExecutableResource> AddClusterCreate(this IDistributedApplicationBuilder builder, LocalRedis redis,
        List<LocalRedisNode> nodes)
    {
        var script = $"if redis-cli --cluster check {nodes[0].Address} >/dev/null 2>&1; then echo 'The cluster exists already.'; " +
            $"else exec redis-cli --cluster create {string.Join(' ', nodes.Select(node => node.Address))} --cluster-replicas 1 --cluster-yes; fi";
        var create = builder.AddExecutable(CreateName, "sh", redis.RunDirectory, "-c", script)
            // redis-cli takes the password from here, so that it is not on a command line.
            .WithEnvironment("REDISCLI_AUTH", redis.Password);
        foreach (var node in nodes)
        {
            create.WaitFor(node.Resource);
        }

        return create;
    }

    /// <summary>Ready once every node says the cluster is ok (every slot served) and every replica's link to its primary is up.</summary>
    private static async Task<HealthCheckResult> ReadinessAsync(IReadOnlyList<LocalRedisNode> nodes, string password)
    {
        await using var connection = await RedisProbe.ConnectAsync(nodes.Select(node => node.Port), password);
        foreach (var node in nodes)
        {
            var server = connection.Server(node);
            if (!((string?)await server.ExecuteAsync("CLUSTER", "INFO") ?? "").Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                return HealthCheckResult.Unhealthy($"{node.Name} does not see the cluster ok yet.");
            }

            var replication = await server.InfoTextAsync("replication");
            if (replication.Contains("role:slave", StringComparison.Ordinal)
                && !replication.Contains("master_link_status:up", StringComparison.Ordinal))
            {
                return HealthCheckResult.Unhealthy($"{node.Name} is still syncing with its primary.");
            }
        }

        return HealthCheckResult.Healthy();
    }
}
