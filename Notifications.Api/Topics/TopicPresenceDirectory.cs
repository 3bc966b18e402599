using System.Text.Json;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Cluster;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Topics;

/// <summary>One replica's report of one topic: its subscribed connections and the distinct users behind them.</summary>
public sealed record TopicPresenceReport(string Node, int Connections, IReadOnlyList<string> Users, DateTimeOffset ReportedAt);

/// <summary>
/// Who reads each topic, across the cluster: per topic a Redis hash (in the topic's hash slot) of node name → that
/// replica's report. As in the cluster directory, a report counts while <c>reportedAt + Cluster:EntryLifetime</c> lies
/// ahead (a crashed replica's reports drop out then), readers delete older ones, and the key expires a lifetime after
/// the last report. The distinct users of a topic are the union of the reports' users.
/// </summary>
public sealed class TopicPresenceDirectory(IConnectionMultiplexer redis, BackplaneKeys keys, IOptions<ClusterOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes this replica's reports and takes its entries out of the topics it no longer has subscribers of, pipelined.</summary>
    public async Task ReportAsync(string node, IReadOnlyDictionary<string, TopicPresenceReport> reports, IEnumerable<string> gone)
    {
        var database = redis.GetDatabase();
        var writes = new List<Task>();
        foreach (var (topic, report) in reports)
        {
            writes.Add(database.HashSetAsync(keys.Presence(topic), node, JsonSerializer.Serialize(report, Json)));
            writes.Add(database.KeyExpireAsync(keys.Presence(topic), options.Value.EntryLifetime));
        }

        writes.AddRange(gone.Select(topic => database.HashDeleteAsync(keys.Presence(topic), node)));
        await Task.WhenAll(writes);
    }

    public async Task<TopicPresence> ReadAsync(string topic, string answeredBy, DateTimeOffset now)
    {
        using var span = RedisSpans.Start("HGETALL", "topic presence");
        var database = redis.GetDatabase();
        var (current, stale) = Partition(await database.HashGetAllAsync(keys.Presence(topic)), now, options.Value.EntryLifetime);
        if (stale.Count > 0)
        {
            _ = database.HashDeleteAsync(keys.Presence(topic), [.. stale], CommandFlags.FireAndForget);
        }

        return Summarize(topic, current, answeredBy, now);
    }

    internal static TopicPresence Summarize(string topic, IReadOnlyList<TopicPresenceReport> reports, string answeredBy, DateTimeOffset now) => new(
        topic,
        reports.Sum(report => report.Connections),
        reports.SelectMany(report => report.Users).Distinct(StringComparer.Ordinal).Count(),
        [.. reports.Select(report => new TopicPresenceNode(report.Node, report.Connections, report.Users.Count, report.ReportedAt))],
        answeredBy,
        reports.Count == 0 ? now : reports.Min(report => report.ReportedAt));

    internal static (IReadOnlyList<TopicPresenceReport> Current, IReadOnlyList<RedisValue> Stale) Partition(
        IEnumerable<HashEntry> entries, DateTimeOffset now, TimeSpan lifetime)
    {
        var current = new List<TopicPresenceReport>();
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

    private static TopicPresenceReport? TryParse(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize<TopicPresenceReport>(value.ToString(), Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
