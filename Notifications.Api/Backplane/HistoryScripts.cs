namespace Notifications.Api.Backplane;

/// <summary>
/// Lua run atomically by Redis (and by Garnet started with <c>--lua true</c>); only commands both implement. Each script
/// touches the keys of one stream, which share a hash slot, so it runs unchanged on Redis Cluster.
/// </summary>
internal static class HistoryScripts
{
    /// <summary>
    /// A publish takes its seq, enters the history and, unless ARGV[9] is empty, is published (PUBLISH or SPUBLISH), in
    /// one step or not at all. With ARGV[9] empty the caller publishes the returned envelope itself once replicas hold it.
    /// KEYS: the stream's epoch, sequence, history, and optionally the idempotency key. ARGV: epoch to create if none,
    /// envelope tail, max count, max age (ms), now (ms), channel, message id, idempotency window (ms), publish command.
    /// Returns { epoch, seq, id[, envelope] }; a repeated idempotency key returns the first publish's seq and id (and,
    /// when the caller publishes, its envelope if the history still holds it) and stores nothing new.
    /// </summary>
    public const string Publish = """
        local epoch = redis.call('GET', KEYS[1])
        if not epoch then
          epoch = ARGV[1]
          redis.call('SET', KEYS[1], epoch)
        end
        if KEYS[4] then
          local first = redis.call('GET', KEYS[4])
          if first then
            local separator = string.find(first, ':', 1, true)
            local seq = tonumber(string.sub(first, 1, separator - 1))
            local id = string.sub(first, separator + 1)
            if ARGV[9] ~= '' then
              return { epoch, seq, id }
            end
            -- A write of this connection's own, so that the caller's WAIT also covers a first publish made elsewhere.
            redis.call('PEXPIRE', KEYS[4], ARGV[8])
            local stored = redis.call('ZRANGEBYSCORE', KEYS[3], seq, seq)
            return { epoch, seq, id, stored[1] or false }
          end
        end
        local seq = redis.call('INCR', KEYS[2])
        local envelope = '{"seq":' .. seq .. ',"epoch":"' .. epoch .. '",' .. ARGV[2]
        redis.call('ZADD', KEYS[3], seq, envelope)
        redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[3]) + 1))
        local cutoff = tonumber(ARGV[5]) - tonumber(ARGV[4])
        for _ = 1, 100 do
          local oldest = redis.call('ZRANGE', KEYS[3], 0, 0)
          local sentAt = oldest[1] and tonumber(string.match(oldest[1], '"sentAt":(%d+)'))
          if not sentAt or sentAt >= cutoff then break end
          redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 0)
        end
        redis.call('PEXPIRE', KEYS[3], ARGV[4])
        if KEYS[4] then
          redis.call('SET', KEYS[4], seq .. ':' .. ARGV[7], 'PX', ARGV[8])
        end
        if ARGV[9] ~= '' then
          redis.call(ARGV[9], ARGV[6], envelope)
          return { epoch, seq, ARGV[7] }
        end
        return { epoch, seq, ARGV[7], envelope }
        """;

    /// <summary>
    /// The messages of one stream of a batch, each as <see cref="Publish"/> would store it, in order, in one step. The
    /// history is trimmed once, after the last one. KEYS: the stream's epoch, sequence, history, then the idempotency
    /// keys of the messages that have one. ARGV: epoch to create if none, max count, max age (ms), now (ms), channel,
    /// idempotency window (ms), publish command (empty: the caller publishes), then three per message: envelope tail,
    /// message id, index in KEYS of its idempotency key (0 for none). Returns { epoch, then per message: seq, id,
    /// envelope to publish or false }; a repeated key gives the first publish's seq and id, as <see cref="Publish"/> does.
    /// </summary>
    public const string PublishBatch = """
        local epoch = redis.call('GET', KEYS[1])
        if not epoch then
          epoch = ARGV[1]
          redis.call('SET', KEYS[1], epoch)
        end
        local command = ARGV[7]
        local results = { epoch }
        local added = false
        for i = 8, #ARGV, 3 do
          local key = KEYS[tonumber(ARGV[i + 2])]
          local first = key and redis.call('GET', key)
          local seq, id, envelope
          if first then
            local separator = string.find(first, ':', 1, true)
            seq = tonumber(string.sub(first, 1, separator - 1))
            id = string.sub(first, separator + 1)
            envelope = false
            if command == '' then
              redis.call('PEXPIRE', key, ARGV[6])
              envelope = redis.call('ZRANGEBYSCORE', KEYS[3], seq, seq)[1] or false
            end
          else
            seq = redis.call('INCR', KEYS[2])
            id = ARGV[i + 1]
            envelope = '{"seq":' .. seq .. ',"epoch":"' .. epoch .. '",' .. ARGV[i]
            redis.call('ZADD', KEYS[3], seq, envelope)
            if key then
              redis.call('SET', key, seq .. ':' .. id, 'PX', ARGV[6])
            end
            if command ~= '' then
              redis.call(command, ARGV[5], envelope)
              envelope = false
            end
            added = true
          end
          results[#results + 1] = seq
          results[#results + 1] = id
          results[#results + 1] = envelope
        end
        if added then
          redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[2]) + 1))
          local cutoff = tonumber(ARGV[4]) - tonumber(ARGV[3])
          for _ = 1, 100 do
            local oldest = redis.call('ZRANGE', KEYS[3], 0, 0)
            local sentAt = oldest[1] and tonumber(string.match(oldest[1], '"sentAt":(%d+)'))
            if not sentAt or sentAt >= cutoff then break end
            redis.call('ZREMRANGEBYRANK', KEYS[3], 0, 0)
          end
          redis.call('PEXPIRE', KEYS[3], ARGV[3])
        end
        return results
        """;

    /// <summary>
    /// Where one stream stands. KEYS: its epoch, its sequence. ARGV: '1' to rewrite an existing epoch, a write of this
    /// connection's own that a following WAIT covers, so the position it hands out is on the replicas too. Returns
    /// { epoch or false for a stream never published to, last seq or '0' }.
    /// </summary>
    public const string Head = """
        local epoch = redis.call('GET', KEYS[1])
        if epoch and ARGV[1] == '1' then
          redis.call('SET', KEYS[1], epoch)
        end
        return { epoch or false, redis.call('GET', KEYS[2]) or '0' }
        """;
}
