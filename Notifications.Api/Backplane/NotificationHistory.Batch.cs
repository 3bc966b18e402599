using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>One message of a batch as the history stores it: its id, its envelope tail, its idempotency key if any.</summary>
public sealed record BatchEntry(string Id, byte[] EnvelopeTail, string? IdempotencyKey);

/// <summary>
/// What the batch script did for one stream: where each message went, in order, and the envelopes still to publish
/// once the replicas hold them (none when no replica must acknowledge: the script published them).
/// </summary>
public sealed record StoredBatch(string Stream, IReadOnlyList<Published> Published, IReadOnlyList<RedisValue> Unpublished);

public sealed partial class NotificationHistory
{
    /// <summary>Whether stored batches must go through <see cref="ConfirmAsync"/> before they are reported.</summary>
    public bool ReplicasRequired => replicas.Required;

    /// <summary>
    /// Stores (and, unless replicas must acknowledge first, publishes) the messages of one stream in one script call,
    /// with the guarantees of <see cref="PublishAsync"/> for each.
    /// </summary>
    public async Task<StoredBatch> StoreBatchAsync(string stream, IReadOnlyList<BatchEntry> entries)
    {
        var (batchKeys, arguments) = BatchCall(stream, entries);
        RedisResult[] stored;
        using (RedisSpans.Start("EVALSHA", "publish_batch"))
        {
            stored = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(HistoryScripts.PublishBatch, batchKeys, arguments))!;
        }

        var epoch = (string)stored[0]!;
        var published = new Published[entries.Count];
        var unpublished = new List<RedisValue>();
        for (var i = 0; i < entries.Count; i++)
        {
            published[i] = new Published(epoch, (long)stored[1 + 3 * i], (string)stored[2 + 3 * i]!);
            if (!stored[3 + 3 * i].IsNull)
            {
                unpublished.Add((RedisValue)stored[3 + 3 * i]);
            }
        }

        return new StoredBatch(stream, published, unpublished);
    }

    /// <summary>
    /// Waits for the replicas once per Redis server (WAIT covers every earlier write of the connection), then publishes
    /// each stream's envelopes in order. Returns the batches that could not be confirmed, with why.
    /// </summary>
    public async Task<IReadOnlyList<(StoredBatch Batch, Exception Failure)>> ConfirmAsync(IReadOnlyList<StoredBatch> batches)
    {
        var byServer = batches.GroupBy(batch => redis.GetServer(keys.Sequence(batch.Stream)).EndPoint);
        var failures = await Task.WhenAll(byServer.Select(async server =>
        {
            try
            {
                await replicas.ConfirmAsync(keys.Sequence(server.First().Stream));
                var database = redis.GetDatabase();
                await Task.WhenAll(server.SelectMany(batch =>
                    batch.Unpublished.Select(envelope => database.PublishAsync(keys.Channel(batch.Stream), envelope))));
                return [];
            }
            catch (Exception exception) when (BackplaneFailure.Is(exception))
            {
                return server.Select(batch => (batch, (Exception)exception)).ToArray();
            }
        }));
        return [.. failures.SelectMany(failure => failure)];
    }

    private (RedisKey[] Keys, RedisValue[] Arguments) BatchCall(string stream, IReadOnlyList<BatchEntry> entries)
    {
        var history = options.Value;
        var channel = keys.Channel(stream);
        var command = replicas.Required ? "" : channel.IsSharded ? "SPUBLISH" : "PUBLISH";
        var batchKeys = new List<RedisKey> { keys.Epoch(stream), keys.Sequence(stream), keys.History(stream) };
        var arguments = new List<RedisValue>(7 + 3 * entries.Count)
        {
            NewEpoch(), history.MaxCount, (long)history.MaxAge.TotalMilliseconds, time.GetUtcNow().ToUnixTimeMilliseconds(),
            channel.ToString(), (long)history.IdempotencyWindow.TotalMilliseconds, command,
        };
        foreach (var entry in entries)
        {
            var keyIndex = 0;
            if (entry.IdempotencyKey is { } key)
            {
                batchKeys.Add(keys.Idempotency(stream, key));
                keyIndex = batchKeys.Count;
            }

            arguments.Add(entry.EnvelopeTail);
            arguments.Add(entry.Id);
            arguments.Add(keyIndex);
        }

        return ([.. batchKeys], [.. arguments]);
    }
}
