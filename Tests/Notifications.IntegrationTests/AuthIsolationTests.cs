using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

public sealed class AuthIsolationTests(GarnetFixture backplane) : IClassFixture<GarnetFixture>
{
    public static TheoryData<string, string> BadTokens => new()
    {
        { "expired", Token(new AuthOptions { SigningKey = InProcessReplica.SigningKey }, TimeSpan.FromMinutes(-5)) },
        { "bad signature", Token(new AuthOptions { SigningKey = new string('z', 48) }, TimeSpan.FromMinutes(5)) },
        { "wrong issuer", Token(new AuthOptions { SigningKey = InProcessReplica.SigningKey, Issuer = "someone-else" }, TimeSpan.FromMinutes(5)) },
        { "wrong audience", Token(new AuthOptions { SigningKey = InProcessReplica.SigningKey, Audience = "someone-else" }, TimeSpan.FromMinutes(5)) },
        { "malformed", "eyJhbGciOiJIUzI1NiJ9.not-base64!.x" },
        { "unsigned", "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJwdWJsaXNoZXIifQ." },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Every_bad_token_gets_401_and_never_a_socket_or_a_publish(string kind, string token)
    {
        await using var replica = backplane.StartReplica([]);
        using var http = replica.Api.NewClient();

        var upgrade = await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token));
        using var publish = await NotificationsApi.BroadcastAsync(http, token, new { data = kind });

        Assert.Equal(401, upgrade);
        Assert.Equal(HttpStatusCode.Unauthorized, publish.StatusCode);
    }

    [Fact]
    public async Task Outside_Development_the_dev_token_endpoint_does_not_exist()
    {
        await using var replica = backplane.StartReplica([], environment: "Production");
        using var http = replica.Api.NewClient();

        using var response = await http.PostAsync("/auth/dev-token",
            new StringContent("""{"userId":"alice","roles":["publisher"]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Access_tokens_appear_in_no_log_line_and_no_span_even_at_trace_level()
    {
        var logs = new FakeLogCollector();
        var tags = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                tags.Enqueue(activity.DisplayName);
                foreach (var tag in activity.TagObjects)
                {
                    tags.Enqueue($"{tag.Key}={tag.Value}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var replica = new InProcessReplica(backplane.Garnet.ConnectionString, "traced", new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        }, configure: web => web.ConfigureServices(services => services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)))));

        var token = await replica.Api.TokenAsync("secretive");
        await using (var socket = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, token))
        {
            await socket.SendTextAsync("""{"type":"ping"}""");
            await socket.NextAsync();
        }

        var lines = logs.GetSnapshot().Select(record => $"{record.Category}: {record.Message} {record.Exception} " +
            string.Join(' ', record.Scopes) + string.Join(' ', record.StructuredState ?? [])).ToList();
        Assert.Contains(lines, line => line.Contains("secretive", StringComparison.Ordinal));
        Assert.Contains(tags, tag => tag.StartsWith("url.path=/auth/dev-token", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(tags, tag => tag.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task During_a_key_rotation_tokens_of_the_previous_key_are_accepted_and_tokens_of_other_keys_are_not()
    {
        var previousKey = new string('p', 48);
        await using var replica = backplane.StartReplica(new() { ["Auth:PreviousSigningKeys:0"] = previousKey });
        using var http = replica.Api.NewClient();
        var signedBefore = Token(new AuthOptions { SigningKey = previousKey }, TimeSpan.FromMinutes(5));
        var signedElsewhere = Token(new AuthOptions { SigningKey = new string('u', 48) }, TimeSpan.FromMinutes(5));

        await using var socket = await NotificationSocket.ConnectAsync(replica.Api.BaseAddress, signedBefore);
        using var published = await NotificationsApi.PublishToUserAsync(http, signedBefore, "alice", new { data = "rotated" });
        var refusedUpgrade = await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, signedElsewhere));
        using var refusedPublish = await NotificationsApi.BroadcastAsync(http, signedElsewhere, new { data = "forged" });

        Assert.Equal("alice", socket.Welcome.GetProperty("userId").GetString());
        var id = await NotificationsApi.AcceptedIdAsync(published, "user:alice");
        Assert.Equal(id, (await socket.NextNotificationAsync()).GetProperty("id").GetString());
        Assert.Equal(401, refusedUpgrade);
        Assert.Equal(HttpStatusCode.Unauthorized, refusedPublish.StatusCode);
    }

    private static string Token(AuthOptions options, TimeSpan lifetime)
    {
        var now = lifetime < TimeSpan.Zero ? DateTimeOffset.UtcNow.AddHours(-1) : DateTimeOffset.UtcNow;
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now);
        return new TokenIssuer(Options.Create(options), clock).Issue("alice", [Roles.Publisher], lifetime.Duration()).AccessToken;
    }
}
