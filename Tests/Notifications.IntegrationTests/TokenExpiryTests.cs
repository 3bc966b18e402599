using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Telemetry;
using Notifications.IntegrationTests.Infrastructure;

namespace Notifications.IntegrationTests;

public sealed class TokenExpiryTests(InProcessApi replica) : IClassFixture<InProcessApi>
{
    [Fact]
    public async Task A_connection_is_closed_with_4001_when_its_token_expires_and_the_client_resumes_with_a_fresh_one()
    {
        using var ended = new Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<double>(
            replica.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TelemetryNames.Source, TelemetryNames.ConnectionDuration);
        var user = $"expiring-{Guid.NewGuid():N}";
        var issuer = new TokenIssuer(Options.Create(new AuthOptions { SigningKey = InProcessReplica.SigningKey }), TimeProvider.System);
        var issued = 0;
        await using var client = new Notifications.Client.NotificationClient(new Notifications.Client.NotificationClientOptions
        {
            ServerUri = replica.Api.BaseAddress,
            // The first token lives two seconds; the ones after it, an hour.
            AccessTokenProvider = _ => ValueTask.FromResult(issuer.Issue(user, [],
                Interlocked.Increment(ref issued) == 1 ? TimeSpan.FromSeconds(2) : TimeSpan.FromHours(1)).AccessToken),
        });
        var closedForExpiry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StateChanged += change =>
        {
            if (change.CloseCode == 4001)
            {
                closedForExpiry.TrySetResult();
            }
            else if (closedForExpiry.Task.IsCompleted && change.State == Notifications.Client.ConnectionState.Connected)
            {
                reconnected.TrySetResult();
            }
        };
        var resumed = new TaskCompletionSource<Notifications.Client.ResumeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Resumed += result => resumed.TrySetResult(result);

        await client.StartAsync(CancellationToken.None);
        await closedForExpiry.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True((await resumed.Task.WaitAsync(TimeSpan.FromSeconds(30))).Recovered);
        Assert.Equal(2, Volatile.Read(ref issued));
        Assert.Contains(ended.GetMeasurementSnapshot(), m => Equals(m.Tags[TelemetryNames.Tags.Reason], TelemetryNames.CloseReasons.TokenExpired));

        using var http = replica.Api.NewClient();
        var id = await NotificationsApi.AcceptedIdAsync(await NotificationsApi.PublishToUserAsync(http,
            await replica.Api.TokenAsync("publisher", "publisher"), user, new { data = "after renewal" }), $"user:{user}");
        await using var notifications = client.ReadAllAsync().GetAsyncEnumerator();
        Assert.True(await notifications.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(id, notifications.Current.Id);
    }
}
