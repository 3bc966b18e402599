using Microsoft.Extensions.Options;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>Where a publish went; <see cref="Id"/> is the first publish's id when an idempotency key repeated.</summary>
public sealed record Published(string Epoch, long Seq, string Id);

public sealed record StreamHeads(string Epoch, IReadOnlyDictionary<string, long> Heads);

/// <summary>The result of reading a range of a stream's history.</summary>
/// <param name="Complete">Every seq of the range was still there, in this epoch and within the age limit.</param>
public sealed record HistoryRange(IReadOnlyList<NotificationEnvelope> Envelopes, bool Complete);

/// <summary>Sequence numbers, the capped history and the epoch, kept in Redis.</summary>
public sealed class NotificationHistory(IConnectionMultiplexer redis, BackplaneKeys keys, IOptions<HistoryOptions> options, TimeProvider time)
{
    /// <summary>
    /// Stores the message in its stream's history and publishes it, atomically; returns where it went. With an
    /// idempotency key seen before (within the window), nothing is published and the first publish is returned.
    /// </summary>
    public async Task<Published> PublishAsync(string stream, string id, byte[] envelopeTail, string? idempotencyKey)
    {
        var history = options.Value;
        using var span = RedisSpans.Start("EVALSHA", "publish");
        RedisKey[] scriptKeys = idempotencyKey is null
            ? [keys.Epoch, keys.Sequence(stream), keys.History(stream)]
            : [keys.Epoch, keys.Sequence(stream), keys.History(stream), keys.Idempotency(stream, idempotencyKey)];
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HistoryScripts.Publish, scriptKeys,
            [NewEpoch(), envelopeTail, history.MaxCount, (long)history.MaxAge.TotalMilliseconds,
             time.GetUtcNow().ToUnixTimeMilliseconds(), keys.Channel(stream).ToString(), id,
             (long)history.IdempotencyWindow.TotalMilliseconds]))!;
        return new Published((string)result[0]!, (long)result[1], (string)result[2]!);
    }

    /// <summary>The current epoch and the last seq published on each stream (0 for a stream never published to).</summary>
    public async Task<StreamHeads> ReadHeadsAsync(IReadOnlyList<string> streams)
    {
        RedisKey[] keyList = [keys.Epoch, .. streams.Select(keys.Sequence)];
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HistoryScripts.Heads, keyList, [NewEpoch()]))!;
        var heads = new Dictionary<string, long>(streams.Count, StringComparer.Ordinal);
        for (var i = 0; i < streams.Count; i++)
        {
            heads[streams[i]] = (long)result[i + 1];
        }

        return new StreamHeads((string)result[0]!, heads);
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

    private static string NewEpoch() => Guid.NewGuid().ToString("N")[..16];
}
