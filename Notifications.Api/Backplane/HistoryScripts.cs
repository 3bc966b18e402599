namespace Notifications.Api.Backplane;

/// <summary>
/// Lua run atomically by Redis (and by Garnet started with <c>--lua true</c>); only commands both implement.
/// A publish takes its seq, enters the history and is published in one step, or not at all.
/// </summary>
internal static class HistoryScripts
{
    /// <summary>
    /// KEYS: epoch, sequence, history, and optionally the idempotency key. ARGV: epoch to create if none, envelope
    /// tail, max count, max age (ms), now (ms), channel, message id, idempotency window (ms). Returns
    /// { epoch, seq, id }; a repeated idempotency key returns the first publish's seq and id and publishes nothing.
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
            return { epoch, tonumber(string.sub(first, 1, separator - 1)), string.sub(first, separator + 1) }
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
        redis.call('PUBLISH', ARGV[6], envelope)
        if KEYS[4] then
          redis.call('SET', KEYS[4], seq .. ':' .. ARGV[7], 'PX', ARGV[8])
        end
        return { epoch, seq, ARGV[7] }
        """;

    /// <summary>KEYS: epoch, then one sequence key per stream. ARGV: epoch to create if none. Returns { epoch, head… }.</summary>
    public const string Heads = """
        local epoch = redis.call('GET', KEYS[1])
        if not epoch then
          epoch = ARGV[1]
          redis.call('SET', KEYS[1], epoch)
        end
        local result = { epoch }
        for i = 2, #KEYS do
          result[i] = redis.call('GET', KEYS[i]) or '0'
        end
        return result
        """;
}
