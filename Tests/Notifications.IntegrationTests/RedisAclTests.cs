using System.Net;
using Notifications.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Notifications.IntegrationTests;

/// <summary>
/// The Redis commands and keys docs/operations.md lists are all the API needs: a replica connected as an ACL user
/// allowed exactly those does everything (connect, publish, resume, report, renew, close) and no server of the
/// deployment denies it anything — one server; a primary with a replica and <c>WAIT</c>; a Redis Cluster with sharded
/// pub/sub. Sentinel's own ACL (the sentinels' user) is not covered: the sentinels are not started here.
/// </summary>
public sealed class RedisAclTests(ITestOutputHelper output)
{
    /// <summary>The list in docs/operations.md ("Commands used"), as an ACL rule.</summary>
    public const string DocumentedCommands =
        "+eval +evalsha +incr +get +set +zadd +zrange +zrangebyscore +zremrangebyrank +zremrangebyscore +zcard +zrem " +
        "+pexpire +expire +publish +subscribe +unsubscribe +hset +hgetall +hdel +script|load +ping +echo +info +client|setname +client|id +cluster|nodes";

    /// <summary>What docs/operations.md adds for replicas that must acknowledge and a connection string naming several servers (Sentinel and Cluster).</summary>
    public const string WaitCommands = "+wait +select";

    /// <summary>What docs/operations.md adds for Redis Cluster.</summary>
    public const string ClusterCommands = "+spublish +ssubscribe +sunsubscribe +cluster|nodes +cluster|info +cluster|slots +readonly";

    private const string User = "aspirenotify";
    private readonly string _password = Guid.NewGuid().ToString("N");

    public enum Deployment
    {
        Standalone,
        PrimaryAndReplica,
        Cluster,
    }

    [Theory]
    [InlineData(Deployment.Standalone)]
    [InlineData(Deployment.PrimaryAndReplica)]
    [InlineData(Deployment.Cluster)]
    public async Task A_replica_limited_to_the_documented_commands_does_everything_and_is_denied_nothing(Deployment deployment)
    {
        await using var redis = Create(deployment);
        await redis.StartAsync();
        var endpoints = string.Join(',', redis.Servers.Select(server => server.Endpoint));
        using var replica = ApiProcess.Start(0, LoopbackPorts.Free(), $"{endpoints},user={User},password={_password}",
            Settings(deployment), ApiProcess.ConfigurationOf(typeof(RedisAclTests)), output.WriteLine);
        await replica.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var api = new NotificationsApi(replica.BaseAddress);
        using var http = api.NewClient();
        var publisher = Tokens.For("publisher", publisher: true);

        await using (var first = await NotificationSocket.ConnectAsync(api.BaseAddress, Tokens.For("acl-user")))
        {
            await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, "acl-user", new { data = 1 }, "once"), "user:acl-user");
            await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, "acl-user", new { data = 1 }, "once"), "user:acl-user");
            using var broadcast = await NotificationsApi.BroadcastAsync(http, publisher, new { data = 2 });
            Assert.Equal(HttpStatusCode.Accepted, broadcast.StatusCode);
            await first.NextNotificationAsync();
            await first.NextNotificationAsync();
            await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http, publisher, "acl-user", new { data = 3 }), "user:acl-user");
            await using var resumed = await NotificationSocket.ConnectAsync(api.BaseAddress, Tokens.For("acl-user"),
                resumeQuery: first.ResumeQuery(("user:acl-user", 0), ("broadcast", 0)));
            Assert.Equal(1, (await resumed.NextNotificationAsync()).GetProperty("seq").GetInt64());
            using var cluster = await http.GetAsync("/api/cluster");
            Assert.Equal(HttpStatusCode.OK, cluster.StatusCode);
            var leasedUntil = await LeaseExpiryAsync(redis);
            await Eventually.UntilAsync("a lease renewal", async _ => await LeaseExpiryAsync(redis) > leasedUntil);
        }

        await Eventually.UntilAsync("the leases to be released", async _ => (await replica.HealthAsync()).Connections == 0);
        using var health = await http.GetAsync("/health/redis");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        foreach (var server in redis.Servers)
        {
            await using var connection = await server.ConnectAsync();
            var denied = (RedisResult[])(await connection.GetDatabase().ExecuteAsync("ACL", "LOG"))!;
            Assert.True(denied.Length == 0, $"{server.Endpoint} denied the API: {string.Join("; ", denied.Select(Describe))}");
        }
    }

    private IRedisDeployment Create(Deployment deployment)
    {
        var commands = deployment switch
        {
            Deployment.Standalone => DocumentedCommands,
            Deployment.PrimaryAndReplica => $"{DocumentedCommands} {WaitCommands}",
            _ => $"{DocumentedCommands} {WaitCommands} {ClusterCommands}",
        };
        var options = new RedisServerOptions
        {
            Durable = false,
            Arguments = ["--user", User, "on", $">{_password}", "~aspirenotify:*", "&aspirenotify:*", "-@all", .. commands.Split(' ')],
        };
        return deployment switch
        {
            Deployment.Standalone => new RedisServerProcess(options),
            Deployment.PrimaryAndReplica => new RedisReplicatedServers(replicas: 1, options),
            _ => new RedisClusterServers(primaries: 3, replicasPerPrimary: 1, options),
        };
    }

    /// <summary>Short leases and reports, so renewals and the directory run within the test; replicas acknowledge where there are replicas.</summary>
    private static Dictionary<string, string> Settings(Deployment deployment)
    {
        var settings = new Dictionary<string, string>
        {
            ["Limits__ConnectionLease"] = "00:00:03",
            ["Cluster__ReportInterval"] = "00:00:00.200",
            ["Cluster__EntryLifetime"] = "00:00:01",
            ["Backplane__MinReplicasToAcknowledge"] = deployment == Deployment.Standalone ? "0" : "1",
        };
        if (deployment == Deployment.Cluster)
        {
            settings["Backplane__Topology"] = "Cluster";
        }

        return settings;
    }

    /// <summary>An <c>ACL LOG</c> entry (field, value, …) as "reason object (context)".</summary>
    private static string Describe(RedisResult entry)
    {
        var fields = ((RedisResult[])entry!).Chunk(2).ToDictionary(pair => pair[0].ToString(), pair => pair[1].ToString());
        return $"{fields["reason"]} {fields["object"]} ({fields["context"]})";
    }

    /// <summary>When the latest lease of the test user runs out (Unix ms); a renewal moves it.</summary>
    private static async Task<double> LeaseExpiryAsync(IRedisDeployment deployment)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(deployment.ConnectionString);
        var leases = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync("aspirenotify:leases:acl-user");
        return leases.Max(lease => lease.Score);
    }
}
