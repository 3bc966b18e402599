using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AspireNotify.Bench.Cluster;
using Notifications.Client;
using Notifications.Contract;
using Notifications.Processes;

namespace AspireNotify.Bench.Clients;

/// <summary>
/// An open-loop publisher through the HTTP API: messages leave at the target rate whether or not earlier ones were
/// answered (up to a bound in flight), each carrying its publish timestamp for end-to-end latency.
/// </summary>
public sealed class LoadPublisher : IDisposable
{
    private readonly HttpClient[] _clients;
    private readonly string _token = Tokens.For("bench-publisher", publisher: true);
    private readonly NotificationPublisher[] _publishers;
    private readonly SemaphoreSlim _inFlight;
    private readonly Random _random = new(7);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _acceptedByPath = new();
    private readonly LatencyRecorder _acknowledged = new();
    private readonly List<long> _acknowledgedLatencies;
    private long _accepted;
    private long _failed;

    public LoadPublisher(IEnumerable<Uri> replicas, int maxInFlight = 256)
    {
        _clients = [.. replicas.Select(replica => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = replica,
            Timeout = TimeSpan.FromSeconds(30),
        })];
        _publishers = [.. _clients.Select(client => new NotificationPublisher(client, _ => ValueTask.FromResult(_token)))];
        _inFlight = new SemaphoreSlim(maxInFlight);
        _acknowledgedLatencies = _acknowledged.CreateList();
    }

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>From sending each accepted publish (or batch) to its answer: what the publishing backend waits.</summary>
    public LatencySummary AcknowledgeLatency => _acknowledged.Summarize();

    /// <summary>Forgets the acknowledgement latencies so far (after a warm-up); the counts stay.</summary>
    public void ClearAcknowledgeLatency() => _acknowledged.Clear();

    /// <summary>Acknowledged publishes per target path, to count what each recipient must have received.</summary>
    public IReadOnlyDictionary<string, long> AcceptedByPath => _acceptedByPath;

    /// <summary>Publishes at <paramref name="perSecond"/> for <paramref name="duration"/>; <paramref name="path"/> picks each target.</summary>
    public Task RunAsync(double perSecond, TimeSpan duration, Func<Random, string> path, Action<long>? onSecond = null) =>
        PaceAsync(perSecond, duration, number => SendAsync(path(_random), number), onSecond);

    /// <summary>
    /// Publishes <paramref name="messagesPerSecond"/> messages as batches of <paramref name="batchSize"/> through
    /// <c>POST /api/notifications/batch</c>, each message to the user <paramref name="userOf"/> picks.
    /// </summary>
    public Task RunBatchesAsync(double messagesPerSecond, int batchSize, TimeSpan duration, Func<Random, string> userOf, Action<long>? onSecond = null) =>
        PaceAsync(messagesPerSecond / batchSize, duration,
            number => SendBatchAsync([.. Enumerable.Range(0, batchSize).Select(_ => userOf(_random))], number), onSecond);

    private async Task PaceAsync(double perSecond, TimeSpan duration, Func<long, Task> send, Action<long>? onSecond)
    {
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>();
        long sent = 0, lastSecond = 0;
        while (clock.Elapsed < duration)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * perSecond);
            while (sent < due)
            {
                await _inFlight.WaitAsync();
                sends.Add(send(sent++));
            }

            if ((long)clock.Elapsed.TotalSeconds > lastSecond)
            {
                lastSecond = (long)clock.Elapsed.TotalSeconds;
                onSecond?.Invoke(lastSecond);
                sends.RemoveAll(task => task.IsCompleted);
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(sends);
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _inFlight.Dispose();
    }

    private async Task SendBatchAsync(string[] users, long number)
    {
        try
        {
            var messages = users.Select(user => BatchMessage.ToUser(user,
                JsonSerializer.SerializeToElement(new BenchData(number, Stopwatch.GetTimestamp()), BenchJsonContext.Default.BenchData))).ToList();
            var sentAt = Stopwatch.GetTimestamp();
            var results = (await _publishers[number % _publishers.Length].PublishBatchAsync(messages)).Results;
            var latency = LatencyRecorder.Since(sentAt);
            lock (_acknowledgedLatencies)
            {
                _acknowledgedLatencies.Add(latency);
            }

            var stored = results.Count(result => result.Succeeded);
            Interlocked.Add(ref _accepted, stored);
            Interlocked.Add(ref _failed, results.Count - stored);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or PublishRefusedException)
        {
            Interlocked.Add(ref _failed, users.Length);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    private async Task SendAsync(string path, long number)
    {
        try
        {
            var client = _clients[number % _clients.Length];
            using var request = new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new StringContent(
                    string.Create(CultureInfo.InvariantCulture, $"{{\"data\":{{\"n\":{number},\"t\":{Stopwatch.GetTimestamp()}}}}}"),
                    Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            var sentAt = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var latency = LatencyRecorder.Since(sentAt);
                lock (_acknowledgedLatencies)
                {
                    _acknowledgedLatencies.Add(latency);
                }

                Interlocked.Increment(ref _accepted);
                _acceptedByPath.AddOrUpdate(path, 1, (_, count) => count + 1);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}

/// <summary>What every bench message carries: its number and its publish timestamp, read back by the receiving sockets.</summary>
internal sealed record BenchData(long N, long T);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BenchData))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
