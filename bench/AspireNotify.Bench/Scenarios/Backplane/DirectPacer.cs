using System.Diagnostics;
using AspireNotify.Bench.Clients;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>Open loop: publishes leave at the rate whether or not earlier ones were answered, up to a bound in flight.</summary>
internal sealed class DirectPacer(DirectBackplane direct, LatencyRecorder latencies) : IDisposable
{
    /// <summary>Enough that Redis, not this bound, is what slows publishes down.</summary>
    private const int MaxInFlight = 4096;
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private readonly Random _random = new(11);
    private readonly List<long> _latencies = latencies.CreateList();
    private long _sent;
    private long _accepted;
    private long _failed;

    public LatencyRecorder Latencies => latencies;

    public long Accepted => Interlocked.Read(ref _accepted);

    public long Failed => Interlocked.Read(ref _failed);

    public void Dispose() => _inFlight.Dispose();

    public async Task RunAsync(double perSecond, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var sends = new List<Task>();
        long sent = 0;
        while (clock.Elapsed < duration)
        {
            for (var due = (long)(clock.Elapsed.TotalSeconds * perSecond); sent < due; sent++)
            {
                await _inFlight.WaitAsync();
                sends.Add(SendAsync());
            }

            sends.RemoveAll(task => task.IsCompleted);
            await Task.Delay(1);
        }

        await Task.WhenAll(sends);
    }

    private async Task SendAsync()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (await direct.PublishAsync(_random, Interlocked.Increment(ref _sent)))
            {
                var latency = LatencyRecorder.Since(started);
                lock (_latencies)
                {
                    _latencies.Add(latency);
                }

                Interlocked.Increment(ref _accepted);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        }
        catch (StackExchange.Redis.RedisException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            _inFlight.Release();
        }
    }
}
