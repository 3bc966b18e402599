using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

/// <summary>
/// Every refusal is answered the same way: its documented status and reason, a count in its counter, and a log line
/// that floods cannot multiply.
/// </summary>
public sealed class RefusalTests(GarnetFixture backplane) : IClassFixture<GarnetFixture>
{
    [Fact]
    public async Task A_flood_of_refusals_is_counted_in_full_and_logged_a_burst_at_a_time()
    {
        var logs = new FakeLogCollector();
        await using var replica = StartReplica(logs, new() { ["Connections:AllowedOrigins:0"] = "https://app.example" });
        using var rejected = Collect(replica, TelemetryNames.ConnectionsRejected);
        var uri = NotificationSocket.WebSocketUri(replica.Api.BaseAddress, await replica.Api.TokenAsync("victim"));

        for (var attempt = 0; attempt < 3 * LogThrottle.Burst; attempt++)
        {
            Assert.Equal(403, await NotificationSocket.RefusedStatusAsync(uri, new Dictionary<string, string> { ["Origin"] = "https://evil.example" }));
        }

        Assert.Equal(3 * LogThrottle.Burst, rejected.GetMeasurementSnapshot().Count(m => Reason(m) == TelemetryNames.RejectionReasons.Origin));
        var lines = logs.GetSnapshot().Where(r => r.Category == typeof(RefusalLog).FullName).ToList();
        Assert.Equal(LogThrottle.Burst, lines.Count);
        Assert.All(lines, line => Assert.Equal(LogLevel.Information, line.Level));
    }

    [Fact]
    public async Task Each_bad_publish_gets_its_status_and_its_reason_in_the_body_and_the_counter()
    {
        var logs = new FakeLogCollector();
        await using var replica = StartReplica(logs, new() { ["Limits:MaxPublishBodyBytes"] = "4096" });
        using var rejected = Collect(replica, TelemetryNames.PublishesRejected);
        using var http = replica.Api.NewClient();
        var publisher = await replica.Api.TokenAsync("publisher", "publisher");
        var plain = await replica.Api.TokenAsync("not-a-publisher");

        (HttpStatusCode Status, string Reason)[] expected =
        [
            (HttpStatusCode.UnsupportedMediaType, TelemetryNames.RejectionReasons.UnsupportedMediaType),
            (HttpStatusCode.BadRequest, TelemetryNames.RejectionReasons.UnreadableBody),
            (HttpStatusCode.RequestEntityTooLarge, TelemetryNames.RejectionReasons.TooBig),
            (HttpStatusCode.BadRequest, TelemetryNames.RejectionReasons.Invalid),
            (HttpStatusCode.Unauthorized, TelemetryNames.RejectionReasons.Unauthenticated),
            (HttpStatusCode.Forbidden, TelemetryNames.RejectionReasons.Forbidden),
        ];
        HttpResponseMessage[] answers =
        [
            await PostAsync(http, publisher, new StringContent("""{"data":1}""", Encoding.UTF8, "text/plain")),
            await PostAsync(http, publisher, new StringContent("""{"data":""", Encoding.UTF8, "application/json")),
            await PostAsync(http, publisher, JsonContent.Create(new { data = new string('x', 5000) })),
            await PostAsync(http, publisher, JsonContent.Create(new { other = 1 })),
            await PostAsync(http, null, JsonContent.Create(new { data = 1 })),
            await PostAsync(http, plain, JsonContent.Create(new { data = 1 })),
        ];

        for (var i = 0; i < expected.Length; i++)
        {
            using var answer = answers[i];
            var body = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode == expected[i].Status && body.Contains($"\"reason\":\"{expected[i].Reason}\"", StringComparison.Ordinal),
                $"Expected {expected[i].Status} with reason {expected[i].Reason}, got {answer.StatusCode}: {body}");
        }

        Assert.Equal(expected.Select(e => e.Reason).Order(), rejected.GetMeasurementSnapshot().Select(Reason).Order());
        Assert.Equal(expected.Length, logs.GetSnapshot().Count(r => r.Category == typeof(RefusalLog).FullName));
    }

    [Fact]
    public async Task Until_its_broadcast_subscription_exists_a_replica_refuses_sockets_and_says_it_is_not_healthy()
    {
        // Nothing listens on this port: the replica starts, but never subscribes.
        await using var replica = new InProcessReplica($"127.0.0.1:{LoopbackPorts.Free()},password=x,connectTimeout=500", "unready",
            new Dictionary<string, string>());
        using var rejected = Collect(replica, TelemetryNames.ConnectionsRejected);
        using var http = replica.Api.NewClient();
        var token = await replica.Api.TokenAsync("early");

        var status = await NotificationSocket.RefusedStatusAsync(NotificationSocket.WebSocketUri(replica.Api.BaseAddress, token));
        var health = await http.GetFromJsonAsync<JsonElement>("/health/websocket");

        Assert.Equal(503, status);
        Assert.Equal(TelemetryNames.RejectionReasons.NotReady, Reason(Assert.Single(rejected.GetMeasurementSnapshot())));
        Assert.False(health.GetProperty("healthy").GetBoolean());
    }

    private InProcessReplica StartReplica(FakeLogCollector logs, Dictionary<string, string> settings) =>
        new(backplane.Garnet.ConnectionString, $"replica-{Guid.NewGuid():N}", settings, configure: web => web.ConfigureServices(services =>
            services.AddLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs)))));

    private static MetricCollector<long> Collect(InProcessReplica replica, string instrument) =>
        new(replica.Services.GetRequiredService<IMeterFactory>(), TelemetryNames.Source, instrument);

    private static string? Reason(CollectedMeasurement<long> measurement) => (string?)measurement.Tags[TelemetryNames.Tags.Reason];

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string? token, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/notifications/users/someone") { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http.SendAsync(request);
    }
}
