using System.Net;
using Notifications.IntegrationTests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Notifications.IntegrationTests;

/// <summary>
/// The Redis commands and keys docs/operations.md lists are all the API needs: a replica connected as an ACL user
/// allowed exactly those does everything (connect, publish, resume, report, renew, close) and Redis denies it nothing.
/// </summary>
public sealed class RedisAclTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The list in docs/operations.md ("Commands used"), as an ACL rule.</summary>
    public const string DocumentedCommands =
        "+eval +evalsha +incr +get +set +zadd +zrange +zrangebyscore +zremrangebyrank +zremrangebyscore +zcard +zrem " +
        "+pexpire +expire +publish +subscribe +unsubscribe +hset +hgetall +hdel +script|load +ping +echo +info +client|setname +client|id +cluster|nodes";

    private const string User = "aspirenotify";
    private readonly string _password = Guid.NewGuid().ToString("N");
    private LocalCluster? _cluster;

    private LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _cluster = await LocalCluster.StartAsync(0, new Dictionary<string, string>(), ApiProcess.ConfigurationOf(typeof(RedisAclTests)),
            new RedisServerOptions
            {
                Durable = false,
                Arguments = ["--user", User, "on", $">{_password}", "~aspirenotify:*", "&aspirenotify:*", "-@all", .. DocumentedCommands.Split(' ')],
            });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_replica_limited_to_the_documented_commands_does_everything_and_is_denied_nothing()
    {
        using var replica = ApiProcess.Start(0, LoopbackPorts.Free(), $"127.0.0.1:{Cluster.Redis.Port},user={User},password={_password}",
            new Dictionary<string, string>
            {
                ["Limits__ConnectionLease"] = "00:00:03",
                ["Cluster__ReportInterval"] = "00:00:00.200",
                ["Cluster__EntryLifetime"] = "00:00:01",
            }, ApiProcess.ConfigurationOf(typeof(RedisAclTests)), output.WriteLine);
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
            var leasedUntil = await LeaseExpiryAsync();
            await Eventually.UntilAsync("a lease renewal", async _ => await LeaseExpiryAsync() > leasedUntil);
        }

        await Eventually.UntilAsync("the leases to be released", async _ => (await replica.HealthAsync()).Connections == 0);
        using var health = await http.GetAsync("/health/redis");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        await using var redis = await Cluster.Redis.ConnectAsync();
        var denied = (RedisResult[])(await redis.GetDatabase().ExecuteAsync("ACL", "LOG"))!;
        Assert.True(denied.Length == 0, $"Redis denied the API: {string.Join("; ", denied.Select(Describe))}");
    }

    /// <summary>An <c>ACL LOG</c> entry (field, value, …) as "reason object (context)".</summary>
    private static string Describe(RedisResult entry)
    {
        var fields = ((RedisResult[])entry!).Chunk(2).ToDictionary(pair => pair[0].ToString(), pair => pair[1].ToString());
        return $"{fields["reason"]} {fields["object"]} ({fields["context"]})";
    }

    /// <summary>When the latest lease of the test user runs out (Unix ms); a renewal moves it.</summary>
    private async Task<double> LeaseExpiryAsync()
    {
        await using var redis = await Cluster.Redis.ConnectAsync();
        var leases = await redis.GetDatabase().SortedSetRangeByRankWithScoresAsync("aspirenotify:leases:acl-user");
        return leases.Max(lease => lease.Score);
    }
}
