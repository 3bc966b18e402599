using System.Net;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// TLS to an external Redis, switched on in the connection string, with a server certificate from a private CA. The
/// replicas run in their own processes, so one of them can be made to trust that CA system-wide (<c>SSL_CERT_FILE</c>).
/// </summary>
public sealed class RedisTlsTests : IAsyncLifetime
{
    private readonly TestCertificates _serverAuthority = new();
    private readonly TestCertificates _otherAuthority = new("CN=Another AspireNotify test CA");
    private readonly string _configuration = ApiProcess.ConfigurationOf(typeof(RedisTlsTests));
    private RedisServerProcess? _redis;

    private RedisServerProcess Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _redis = new RedisServerProcess(new RedisServerOptions { Tls = _serverAuthority });
        await _redis.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        _serverAuthority.Dispose();
        _otherAuthority.Dispose();
    }

    [Fact]
    public async Task A_replica_trusting_the_private_CA_delivers_over_TLS()
    {
        using var replica = Start(new() { ["Backplane__TrustedCertificateAuthority"] = _serverAuthority.AuthorityPath });
        await replica.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        var api = new NotificationsApi(replica.BaseAddress);
        using var http = api.NewClient();
        await using var socket = await NotificationSocket.ConnectAsync(api.BaseAddress, Tokens.For("tls-user"));

        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http,
            Tokens.For("publisher", publisher: true), "tls-user", new { data = "encrypted" }), "user:tls-user");

        Assert.Equal(id, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Without_the_CA_the_server_certificate_is_refused() =>
        await AssertRefusedAsync([]);

    [Fact]
    public async Task A_CA_the_system_trusts_is_enough_when_none_is_configured()
    {
        using var replica = Start(new() { ["SSL_CERT_FILE"] = _serverAuthority.AuthorityPath }, _ => { });
        await replica.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task With_a_CA_configured_a_certificate_the_system_trusts_but_that_CA_did_not_sign_is_refused() =>
        await AssertRefusedAsync(new()
        {
            ["SSL_CERT_FILE"] = _serverAuthority.AuthorityPath,
            ["Backplane__TrustedCertificateAuthority"] = _otherAuthority.AuthorityPath,
        });

    private ApiProcess Start(Dictionary<string, string> settings, Action<string>? onOutput = null) =>
        ApiProcess.Start(0, LoopbackPorts.Free(), Redis.ConnectionString, settings, _configuration, onOutput);

    /// <summary>The replica logs the refused TLS handshake, and then tells its probes that Redis is out of reach.</summary>
    private async Task AssertRefusedAsync(Dictionary<string, string> settings)
    {
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var replica = Start(settings, line =>
        {
            if (line.Contains("AuthenticationFailure", StringComparison.Ordinal))
            {
                refused.TrySetResult();
            }
        });
        await refused.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = replica.BaseAddress };
        var status = await Eventually.UntilValueAsync("the replica to answer", async token =>
        {
            using var response = await http.GetAsync("/health/redis", token);
            return (HttpStatusCode?)response.StatusCode;
        });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }
}
