using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Notifications.Testing;

public sealed record Acknowledged(string UserId, string Id, long Seq, int Number);

/// <summary>
/// A backend publishing a numbered sequence at a steady pace through the public API, retrying what was not
/// acknowledged (503, or a connection lost with its replica) until it is. Each message carries an idempotency key, so
/// a retry of a publish that was stored after all is not stored twice. Its targets are users, or topics when
/// <paramref name="route"/> is <see cref="Routes.PublishToTopic"/>.
/// </summary>
public sealed class SteadyPublisher(Uri api, string publisherToken, Func<string, string>? route = null)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);
    private readonly string _run = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();
    private readonly List<Acknowledged> _acknowledged = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private long _messages;
    private int _refusals;

    public IReadOnlyList<Acknowledged> Acknowledged
    {
        get
        {
            lock (_gate)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>Publishes that were refused or failed and then retried.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

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

    /// <summary>Publishes <paramref name="count"/> messages round-robin to <paramref name="users"/>, one per tick.</summary>
    public async Task PublishAsync(IReadOnlyList<string> users, int count, TimeSpan interval, int payloadBytes = 0)
    {
        using var timer = new PeriodicTimer(interval);
        var padding = new string('x', payloadBytes);
        for (var number = 1; number <= count; number++)
        {
            await timer.WaitForNextTickAsync();
            await PublishUntilAcknowledgedAsync(users[number % users.Count], number, padding);
        }
    }

    /// <summary>Publishes to one user, one per tick, until <paramref name="done"/> says to stop (at most <paramref name="max"/>).</summary>
    public async Task PublishUntilAsync(string user, Func<Task<bool>> done, int max, TimeSpan interval, int payloadBytes = 0)
    {
        using var timer = new PeriodicTimer(interval);
        var padding = new string('x', payloadBytes);
        for (var number = 1; number <= max && !await done(); number++)
        {
            await timer.WaitForNextTickAsync();
            await PublishUntilAcknowledgedAsync(user, number, padding);
        }
    }

    private async Task PublishUntilAcknowledgedAsync(string user, int number, string padding)
    {
        var idempotencyKey = $"{_run}:{Interlocked.Increment(ref _messages)}";
        while (true)
        {
            try
            {
                if (await PublishOnceAsync(user, new { number, padding }, idempotencyKey) is { } accepted)
                {
                    Record(new Acknowledged(user, accepted.Id, accepted.Seq, number));
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
            }

            Interlocked.Increment(ref _refusals);
            await Task.Delay(RetryPause);
        }
    }

    /// <summary>One attempt; null when the API answered 503, which is the one refusal a retry can fix.</summary>
    private async Task<PublishResponse?> PublishOnceAsync(string user, object data, string idempotencyKey)
    {
        // A fresh connection for each attempt: the proxy picks a replica per connection, and a pooled one may lead to
        // the replica that just went away.
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, (route ?? Routes.PublishToUser)(user)) { Content = JsonContent.Create(new { data }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", publisherToken);
        request.Headers.Add(Routes.IdempotencyKeyHeader, idempotencyKey);
        using var response = await http.SendAsync(request);
        return response.StatusCode switch
        {
            HttpStatusCode.Accepted => await response.Content.ReadFromJsonAsync<PublishResponse>(),
            HttpStatusCode.ServiceUnavailable => null,
            var status => throw new InvalidOperationException($"A publish was refused for good: {(int)status}."),
        };
    }

    private void Record(Acknowledged acknowledged)
    {
        lock (_gate)
        {
            _acknowledged.Add(acknowledged);
            foreach (var waiter in _waiters.Where(w => w.Count <= _acknowledged.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
