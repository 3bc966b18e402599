using System.Text.Json;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Cluster;

/// <summary>
/// The replicas' reports in one Redis hash, node name → JSON report. A hash field cannot expire in Redis 7 or Garnet,
/// so a report is current while <c>reportedAt + Cluster:EntryLifetime</c> lies ahead; readers skip and delete older
/// ones, and the whole key expires when no replica has reported for a lifetime. (Clocks of the replicas are assumed
/// to agree within a fraction of the lifetime.)
/// </summary>
public sealed class ClusterDirectory(IConnectionMultiplexer redis, BackplaneKeys keys, IOptions<ClusterOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private TimeSpan Lifetime => options.Value.EntryLifetime;

    public async Task ReportAsync(NodeReport report)
    {
        var database = redis.GetDatabase();
        var set = database.HashSetAsync(keys.Cluster, report.Node, JsonSerializer.Serialize(report, Json));
        var expire = database.KeyExpireAsync(keys.Cluster, Lifetime);
        await Task.WhenAll(set, expire);
    }

    public Task RemoveAsync(string node) => redis.GetDatabase().HashDeleteAsync(keys.Cluster, node);

    /// <summary>The current reports, by node name; stale ones are deleted on the way.</summary>
    public async Task<IReadOnlyList<NodeReport>> ReadAsync(DateTimeOffset now)
    {
        using var span = RedisSpans.Start("HGETALL", "cluster directory");
        var database = redis.GetDatabase();
        var (current, stale) = Partition(await database.HashGetAllAsync(keys.Cluster), now, Lifetime);
        if (stale.Count > 0)
        {
            // A stale field may be rewritten by its replica in the meantime; it then reappears at its next report.
            _ = database.HashDeleteAsync(keys.Cluster, [.. stale], CommandFlags.FireAndForget);
        }

        return current;
    }

    internal static (IReadOnlyList<NodeReport> Current, IReadOnlyList<RedisValue> Stale) Partition(
        IEnumerable<HashEntry> entries, DateTimeOffset now, TimeSpan lifetime)
    {
        var current = new List<NodeReport>();
        var stale = new List<RedisValue>();
        foreach (var entry in entries)
        {
            var report = TryParse(entry.Value);
            if (report is not null && report.ReportedAt + lifetime > now)
            {
                current.Add(report);
            }
            else
            {
                stale.Add(entry.Name);
            }
        }

        current.Sort((a, b) => string.CompareOrdinal(a.Node, b.Node));
        return (current, stale);
    }

    private static NodeReport? TryParse(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize<NodeReport>(value.ToString(), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
