namespace Switchboard.Redis.Internal;

/// <summary>
/// The Lua scripts of the Redis layer. Each writes exactly what channels_redis 4 writes (the same sorted sets, members,
/// scores and TTLs, wire spec §3–§4), but in one atomic round trip where channels_redis sends several commands: so
/// concurrent senders cannot overshoot a capacity, and old messages are trimmed on the host that holds them.
/// </summary>
/// <remarks>A named channel's key is trimmed of expired messages before its capacity is checked, as in channels_redis.
/// A process's key is not trimmed: its receive loop takes expired messages too and leaves an <c>expired</c> marker for
/// the consumers that missed them, so loss is never silent; and a key whose oldest message has expired tells that its
/// process is gone. For the same reason a process's key lives twice the expiry (plus a second) after its last write,
/// where channels_redis gives every key the expiry: messages a stuck process did not take in time are still there to be
/// reported as expired instead of vanishing unnoticed.</remarks>
internal static class RedisScripts
{
    /// <summary>A direct send to a named channel. KEYS[1] the channel key; ARGV member, score, expiry cutoff, capacity,
    /// TTL (s). Returns {1 stored | 0 full, number of expired messages trimmed}.</summary>
    public const string Send = """
        local trimmed = redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
          return {0, trimmed}
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        return {1, trimmed}
        """;

    /// <summary>A direct send to a process-specific channel. KEYS[1] the process's key; ARGV member, score, capacity
    /// (count), byte budget, TTL (s). The key is full when it holds its count, or when, counting every queued message
    /// as large as this one, it would exceed the budget (one message always fits an empty key). Returns 1 stored, 0 full.</summary>
    public const string SendSpecific = """
        local queued = redis.call('ZCARD', KEYS[1])
        if queued >= tonumber(ARGV[3]) or (queued > 0 and (queued + 1) * #ARGV[1] > tonumber(ARGV[4])) then
          return 0
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        return 1
        """;

    /// <summary>A group add. KEYS[1] the group key; ARGV score, channel, TTL (s).</summary>
    public const string GroupAdd = """
        redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
        redis.call('EXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    /// <summary>The members of a group, after dropping expired memberships. KEYS[1] the group key; ARGV the cutoff.</summary>
    public const string GroupMembers = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
        return redis.call('ZRANGE', KEYS[1], 0, -1)
        """;

    /// <summary>
    /// The writes of a group send on one host: one copy per destination key. KEYS the K destination keys; ARGV the K
    /// members, the K capacities, K kinds (1 a named channel's key, trimmed first; 0 a process's key), then score,
    /// expiry cutoff, the TTL (s) of a named channel's key and that of a process's key. Returns one status per key: +1 when the key was full (the copy is dropped), +2 when it
    /// held expired messages (its reader is gone).
    /// </summary>
    public const string GroupSend = """
        local k = #KEYS
        local score = ARGV[3 * k + 1]
        local cutoff = ARGV[3 * k + 2]
        local ttl = ARGV[3 * k + 3]
        local specificTtl = ARGV[3 * k + 4]
        local statuses = {}
        for i = 1, k do
          local status = 0
          if ARGV[2 * k + i] == '1' then
            if redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, cutoff) > 0 then
              status = 2
            end
          else
            local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
            if oldest[2] and tonumber(oldest[2]) <= tonumber(cutoff) then
              status = 2
            end
          end
          if redis.call('ZCARD', KEYS[i]) < tonumber(ARGV[k + i]) then
            redis.call('ZADD', KEYS[i], score, ARGV[i])
            if ARGV[2 * k + i] == '1' then
              redis.call('EXPIRE', KEYS[i], ttl)
            else
              redis.call('EXPIRE', KEYS[i], specificTtl)
            end
          else
            status = status + 1
          end
          statuses[i] = status
        end
        return statuses
        """;
}
