namespace Switchboard.Redis.Internal;

/// <summary>
/// The Lua scripts of the Redis layer. Each writes exactly what channels_redis 4 writes (the same sorted sets, members,
/// scores and TTLs, wire spec §3–§4), but in one atomic round trip where channels_redis sends several commands: so
/// concurrent senders cannot overshoot a capacity, and old messages are trimmed on the host that holds them.
/// </summary>
internal static class RedisScripts
{
    /// <summary>A direct send. KEYS[1] the channel key; ARGV member, score, expiry cutoff, capacity, TTL (s).
    /// Returns {1 stored | 0 full, number of expired messages trimmed}.</summary>
    public const string Send = """
        local trimmed = redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
          return {0, trimmed}
        end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        return {1, trimmed}
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
    /// members, the K capacities, then score, expiry cutoff, TTL (s). Returns one status per key: +1 when the key was
    /// full (the copy is dropped), +2 when expired messages were trimmed from it (its reader is gone).
    /// </summary>
    public const string GroupSend = """
        local k = #KEYS
        local score = ARGV[2 * k + 1]
        local cutoff = ARGV[2 * k + 2]
        local ttl = ARGV[2 * k + 3]
        local statuses = {}
        for i = 1, k do
          local status = 0
          if redis.call('ZREMRANGEBYSCORE', KEYS[i], 0, cutoff) > 0 then
            status = 2
          end
          if redis.call('ZCARD', KEYS[i]) < tonumber(ARGV[k + i]) then
            redis.call('ZADD', KEYS[i], score, ARGV[i])
            redis.call('EXPIRE', KEYS[i], ttl)
          else
            status = status + 1
          end
          statuses[i] = status
        end
        return statuses
        """;
}
