using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AspireNotify.Bench.Cluster;
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
        _inFlight = new SemaphoreSlim(maxInFlight);
        _acknowledgedLatencies = _acknowledged.CreateList();
    }

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>From sending each accepted publish to its <c>202</c>: what the publishing backend waits.</summary>
    public LatencySummary AcknowledgeLatency => _acknowledged.Summarize();

    /// <summary>Forgets the acknowledgement latencies so far (after a warm-up); the counts stay.</summary>
    public void ClearAcknowledgeLatency() => _acknowledged.Clear();

    /// <summary>Acknowledged publishes per target path, to count what each recipient must have received.</summary>
    public IReadOnlyDictionary<string, long> AcceptedByPath => _acceptedByPath;

    /// <summary>Publishes at <paramref name="perSecond"/> for <paramref name="duration"/>; <paramref name="path"/> picks each target.</summary>
    public async Task RunAsync(double perSecond, TimeSpan duration, Func<Random, string> path, Action<long>? onSecond = null)
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
                sends.Add(SendAsync(path(_random), sent++));
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
