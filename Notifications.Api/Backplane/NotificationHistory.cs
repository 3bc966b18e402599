using Microsoft.Extensions.Options;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>Where a publish went; <see cref="Id"/> is the first publish's id when an idempotency key repeated.</summary>
public sealed record Published(string Epoch, long Seq, string Id);

/// <summary>Where one stream stands: its epoch (<see cref="StreamHead.NoEpoch"/> before its first message) and last seq.</summary>
public sealed record StreamHead(string Epoch, long Seq)
{
    /// <summary>The epoch of a stream nothing was ever published to: any epoch it gets later continues it.</summary>
    public const string NoEpoch = "-";
}

/// <summary>The result of reading a range of a stream's history.</summary>
/// <param name="Complete">Every seq of the range was still there, in this epoch and within the age limit.</param>
public sealed record HistoryRange(IReadOnlyList<NotificationEnvelope> Envelopes, bool Complete);

/// <summary>
/// Sequence numbers, the capped history and the epoch of each stream, kept in Redis. Each stream has its own epoch: its
/// keys live in one hash slot, and with Redis Cluster a shard can lose its data while the others keep theirs.
/// </summary>
public sealed partial class NotificationHistory(IConnectionMultiplexer redis, BackplaneKeys keys, ReplicaAcknowledgement replicas,
    IOptions<HistoryOptions> options, TimeProvider time)
{
    /// <summary>
    /// Stores the message in its stream's history and publishes it; returns where it went. With an idempotency key seen
    /// before (within the window), nothing new is stored and the first publish is returned. When replicas must
    /// acknowledge, the message is published only once they hold it, so no client sees a message a failover can lose.
    /// </summary>
    public async Task<Published> PublishAsync(string stream, string id, byte[] envelopeTail, string? idempotencyKey)
    {
        RedisResult[] stored;
        using (RedisSpans.Start("EVALSHA", "publish"))
        {
            stored = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HistoryScripts.Publish,
                PublishKeys(stream, idempotencyKey), PublishArguments(stream, id, envelopeTail)))!;
        }

        if (replicas.Required)
        {
            await replicas.ConfirmAsync(keys.Sequence(stream));
            if (!stored[3].IsNull)
            {
                // A repeated key publishes the first envelope again: its first attempt may have stopped before this.
                await redis.GetDatabase().PublishAsync(keys.Channel(stream), (RedisValue)stored[3]);
            }
        }

        return new Published((string)stored[0]!, (long)stored[1], (string)stored[2]!);
    }

    /// <summary>The epoch and the last seq of each stream (0 for a stream never published to), each confirmed by the replicas.</summary>
    public async Task<IReadOnlyDictionary<string, StreamHead>> ReadHeadsAsync(IReadOnlyList<string> streams)
    {
        var heads = await Task.WhenAll(streams.Select(ReadHeadAsync));
        var byStream = new Dictionary<string, StreamHead>(streams.Count, StringComparer.Ordinal);
        for (var i = 0; i < streams.Count; i++)
        {
            byStream[streams[i]] = heads[i];
        }

        return byStream;
    }

    /// <summary>The messages of a stream with <paramref name="afterSeq"/> &lt; seq ≤ <paramref name="toSeq"/>, in order.</summary>
    public async Task<HistoryRange> ReadAsync(string stream, string epoch, long afterSeq, long toSeq)
    {
        if (toSeq <= afterSeq)
        {
            return new HistoryRange([], true);
        }

        var values = await redis.GetDatabase().SortedSetRangeByScoreAsync(keys.History(stream), afterSeq, toSeq, Exclude.Start);
        var oldestAllowed = time.GetUtcNow() - options.Value.MaxAge;
        var envelopes = new List<NotificationEnvelope>(values.Length);
        foreach (var value in values)
        {
            if (NotificationEnvelope.TryParse((byte[])value!, out var envelope) && envelope.Epoch == epoch && envelope.SentAt >= oldestAllowed)
            {
                envelopes.Add(envelope);
            }
        }

        var complete = envelopes.Count == toSeq - afterSeq
            && envelopes[0].Seq == afterSeq + 1
            && envelopes[^1].Seq == toSeq;
        return new HistoryRange(envelopes, complete);
    }

    private async Task<StreamHead> ReadHeadAsync(string stream)
    {
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HistoryScripts.Head,
            [keys.Epoch(stream), keys.Sequence(stream)], [replicas.Required ? "1" : "0"]))!;
        if (replicas.Required)
        {
            await replicas.ConfirmAsync(keys.Sequence(stream));
        }

        return new StreamHead(result[0].IsNull ? StreamHead.NoEpoch : (string)result[0]!, (long)result[1]);
    }

    private RedisKey[] PublishKeys(string stream, string? idempotencyKey) => idempotencyKey is null
        ? [keys.Epoch(stream), keys.Sequence(stream), keys.History(stream)]
        : [keys.Epoch(stream), keys.Sequence(stream), keys.History(stream), keys.Idempotency(stream, idempotencyKey)];

    /// <summary>The script publishes itself unless replicas must hold the message first (then the caller does).</summary>
    private RedisValue[] PublishArguments(string stream, string id, byte[] envelopeTail)
    {
        var history = options.Value;
        var channel = keys.Channel(stream);
        var command = replicas.Required ? "" : channel.IsSharded ? "SPUBLISH" : "PUBLISH";
        return [NewEpoch(), envelopeTail, history.MaxCount, (long)history.MaxAge.TotalMilliseconds,
            time.GetUtcNow().ToUnixTimeMilliseconds(), channel.ToString(), id, (long)history.IdempotencyWindow.TotalMilliseconds, command];
    }

    private static string NewEpoch() => Guid.NewGuid().ToString("N")[..16];
}
