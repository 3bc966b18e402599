using System.Globalization;
using AspireNotify.Bench.Clients;

namespace AspireNotify.Bench.Scenarios.Backplane;

/// <summary>
/// What one kind of traffic cost the Redis deployment over one measured window, with N API replicas (or N clients of
/// the load tool) subscribed. CPU is user + system time from /proc (<see cref="WindowCpu"/>); a redis-server executes
/// commands on one thread, so one core is the limit of each.
/// </summary>
public sealed record BackplaneMeasurement(string Backplane, int Replicas, string Traffic, double OfferedRate, double Seconds,
    long Accepted, long Failed, long Deliveries, long Lost, WindowCpu Cpu, double RedisIdleCpuPerSecond,
    LatencySummary Acknowledged, LatencySummary Delivered)
{
    /// <summary>Receiving sockets the server closed or that broke during the window (<see cref="Receivers.Ended"/>).</summary>
    public string SocketsEnded { get; init; } = "";

    public double AcceptedPerSecond => Accepted / Seconds;

    /// <summary>Milliseconds of Redis CPU per 1,000 accepted messages (the same number as microseconds per message).</summary>
    public double RedisCpuPerThousand => PerThousand(Cpu.Redis);

    /// <summary>The same without what the servers spend anyway (cluster bus, replication pings, the replicas' reports).</summary>
    public double RedisCpuPerThousandNetOfIdle => PerThousand(Math.Max(0, Cpu.Redis - RedisIdleCpuPerSecond * Seconds));

    /// <summary>Cores the busiest redis-server used: at 1.0 it is the limit.</summary>
    public double BusiestRedisCores => Cpu.RedisPerProcess.Count == 0 ? 0 : Cpu.RedisPerProcess.Max() / Seconds;

    /// <summary>The busiest redis-server's part of all Redis CPU: 1/N when N primaries share the work evenly.</summary>
    public double BusiestRedisShare => Cpu.Redis <= 0 ? 0 : Cpu.RedisPerProcess.Max() / Cpu.Redis;

    public double ClientCpuPerThousand => PerThousand(Cpu.Clients);

    public double UnaccountedCores => Cpu.Unaccounted / Seconds;

    public static string MarkdownHeader =>
        "| backplane | API replicas | traffic | offered | accepted | errors | lost | Redis CPU / 1,000 msgs | net of idle | busiest redis-server | " +
        "its share | client CPU / 1,000 | 202 p50 | 202 p99 | delivery p50 | delivery p99 | unaccounted CPU |" + Environment.NewLine +
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    public string ToMarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Backplane} | {Replicas} | {Traffic} | {OfferedRate:#,0}/s | {AcceptedPerSecond:#,0}/s | {Failed:#,0} | {Lost:#,0}{(SocketsEnded.Length > 0 ? $" (sockets ended: {SocketsEnded})" : "")} | " +
        $"{RedisCpuPerThousand:0.0} ms | {RedisCpuPerThousandNetOfIdle:0.0} ms | {BusiestRedisCores:0.00} cores | {BusiestRedisShare:0%} | " +
        $"{ClientCpuPerThousand:#,0} ms | {Acknowledged.P50:0.00} ms | {Acknowledged.P99:0.0} ms | {Delivered.P50:0.00} ms | {Delivered.P99:0.0} ms | " +
        $"{UnaccountedCores:0.00} cores |");

    private double PerThousand(double cpuSeconds) => Accepted == 0 ? 0 : cpuSeconds * 1_000_000 / Accepted;
}
