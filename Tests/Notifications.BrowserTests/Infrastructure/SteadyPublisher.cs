using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Notifications.BrowserTests.Infrastructure;

/// <summary>
/// A backend publishing a numbered sequence to one user at a steady pace through the API, retrying what was not
/// acknowledged (503, or a connection lost with its replica) under the same idempotency key until it is.
/// </summary>
public sealed class SteadyPublisher(Uri apiUrl, string userId)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);
    private static readonly object PublisherTokenRequest = new { userId = "browser-tests-backend", roles = new[] { "publisher" } };
    private readonly string _run = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly List<long> _acknowledged = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];

    public IReadOnlyList<long> AcknowledgedSeqs
    {
        get
        {
            lock (_gate)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> messages have been acknowledged.</summary>
    public Task WhenAcknowledged(int count)
    {
        lock (_gate)
        {
            if (_acknowledged.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Publishes until <paramref name="stop"/> is cancelled or <paramref name="max"/> messages are acknowledged.</summary>
    public async Task RunAsync(int max, CancellationToken stop)
    {
        var token = await PublisherTokenAsync();
        using var timer = new PeriodicTimer(Pace);
        for (var number = 1; number <= max && !stop.IsCancellationRequested; number++)
        {
            await PublishUntilAcknowledgedAsync(token, number);
            try
            {
                await timer.WaitForNextTickAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PublishUntilAcknowledgedAsync(string token, int number)
    {
        var idempotencyKey = $"{_run}:{number}";
        while (true)
        {
            // A fresh connection for each attempt: the proxy picks a replica per connection, and a pooled one may
            // lead to the replica that just went away.
            using var http = new HttpClient { BaseAddress = apiUrl, Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/notifications/users/{userId}")
            {
                Content = JsonContent.Create(new { data = new { number } }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                using var response = await http.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                    Record(body.GetProperty("seq").GetInt64());
                    return;
                }

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(Pace);
        }
    }

    private async Task<string> PublisherTokenAsync()
    {
        using var http = new HttpClient { BaseAddress = apiUrl };
        using var response = await http.PostAsJsonAsync("/auth/dev-token", PublisherTokenRequest);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private void Record(long seq)
    {
        lock (_gate)
        {
            _acknowledged.Add(seq);
            foreach (var waiter in _waiters.Where(w => w.Count <= _acknowledged.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
