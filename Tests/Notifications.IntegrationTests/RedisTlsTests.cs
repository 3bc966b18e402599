using System.Net;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>TLS to an external Redis, switched on in the connection string, with a server certificate from a private CA.</summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly TestCertificates _certificates = new();
    private RedisServerProcess? _redis;

    public async Task InitializeAsync()
    {
        _redis = new RedisServerProcess(new RedisServerOptions { Tls = _certificates });
        await _redis.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _certificates.Dispose();
    }

    [Fact]
    public async Task A_replica_trusting_the_private_CA_delivers_over_TLS()
    {
        await using var replica = new InProcessReplica(_redis!.ConnectionString, "tls",
            new Dictionary<string, string> { ["Backplane:TrustedCertificateAuthority"] = _certificates.AuthorityPath });
        using var http = replica.Api.NewClient();
        await using var socket = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, await replica.Api.TokenAsync("tls-user"));

        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http,
            await replica.Api.TokenAsync("publisher", "publisher"), "tls-user", new { data = "encrypted" }), "user:tls-user");

        Assert.Equal(id, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Without_the_CA_the_server_certificate_is_refused()
    {
        await using var replica = new InProcessReplica(_redis!.ConnectionString, "untrusting", new Dictionary<string, string>());
        using var http = replica.Api.NewClient();

        using var health = await http.GetAsync("/health/redis");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }
}
