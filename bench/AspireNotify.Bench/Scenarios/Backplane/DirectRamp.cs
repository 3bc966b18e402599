using System.Diagnostics;
using AspireNotify.Bench.Clients;
using AspireNotify.Bench.Cluster;
using Notifications.Processes;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// Redis alone at rising per-user publish rates (<see cref="DirectBackplane"/>: no API, no sockets), until a
/// redis-server uses (nearly) a whole core, the publishes stop keeping up, or some fail: where one Redis is the limit.
/// </summary>
internal static class DirectRamp
{
    private const int MaxInFlight = 4096;

    public static async Task<List<BackplaneMeasurement>> RunAsync(BenchBackplane backplane, int replicas, int users, IReadOnlyList<double> rates,
        WindowTimes step)
    {
        Console.WriteLine($"direct ramp: {backplane.Name}, {replicas} clients, {users} users, {string.Join(", ", rates)} publishes/s");
        await using var redis = backplane.Start();
        await redis.StartAsync();
        await using var direct = await DirectBackplane.ConnectAsync(redis, replicas, users, backplane.Sharded, backplane.Wait);
        using var pacer = new Pacer(direct, users, new LatencyRecorder());
        var steps = new List<BackplaneMeasurement>();
        foreach (var rate in rates)
        {
            await pacer.RunAsync(rate, step.WarmUp);
            var measured = await MeasureAsync(backplane.Name, replicas, redis, direct, pacer, rate, step);
            steps.Add(measured);
            Console.WriteLine($"  {backplane.Name}, direct at {rate:#,0}/s: {measured.AcceptedPerSecond:#,0}/s, {measured.Failed} failed, " +
                              $"{measured.Lost} lost, busiest redis-server {measured.BusiestRedisCores:0.00} cores, {measured.RedisCpuPerThousand:0.0} ms per 1,000");
            if (measured.BusiestRedisCores >= SaturationRamp.SaturatedCores || measured.Failed > 0 || measured.Lost > 0
                || measured.AcceptedPerSecond < SaturationRamp.KeptUp * rate)
            {
                break;
            }
        }

        return steps;
    }

    private static async Task<BackplaneMeasurement> MeasureAsync(string name, int replicas, IRedisDeployment redis, DirectBackplane direct,
        Pacer pacer, double rate, WindowTimes step)
    {
        var (accepted, failed, received) = (pacer.Accepted, pacer.Failed, direct.Received);
        pacer.Latencies.Clear();
        var cpu = WindowCpu.Start(redis.ProcessIds, [Environment.ProcessId]);
        var clock = Stopwatch.StartNew();
        await pacer.RunAsync(rate, step.Measured);
        var (seconds, spent) = (clock.Elapsed.TotalSeconds, cpu());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (direct.Received < pacer.Accepted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        // The load tool stands where the API replicas would: it is the client side of the same commands.
        return new BackplaneMeasurement(name, replicas, "per-user, Redis alone", rate, seconds, pacer.Accepted - accepted, pacer.Failed - failed,
            direct.Received - received, Math.Max(0, pacer.Accepted - direct.Received), spent, 0, pacer.Latencies.Summarize(),
            new LatencySummary(0, 0, 0, 0, 0));
    }

    /// <summary>Open loop: publishes leave at the rate whether or not earlier ones were answered, up to a bound in flight.</summary>
    private sealed class Pacer(DirectBackplane direct, int users, LatencyRecorder latencies) : IDisposable
    {
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
                if (await direct.PublishAsync(_random.Next(users), Interlocked.Increment(ref _sent)))
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
}
