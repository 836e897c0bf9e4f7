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

    /// <summary>
    /// A whole group send in one round trip, when everything lives on one host, no capacity rule applies and messages
    /// are not encrypted: reads the members (dropping expired memberships), buckets them by destination key, builds
    /// each key's copy (the message's msgpack entries, then <c>__asgi_channel__</c> and the array of the key's member
    /// names, encoded here as the smallest msgpack str and array headers, as RedisMessageCodec does), writes it as
    /// <see cref="GroupSend"/> does, and removes the members whose readers are gone. KEYS[1] the group key; ARGV the
    /// group cutoff, the key prefix, the random prefix, the map header, the encoded entries, score, expiry cutoff, the
    /// TTLs (s) of a named channel's key and of a process's key, the capacity of a named channel and of a process's key.
    /// Returns {members sent to, members dropped as full, members removed as gone, a dropped name, a removed name}.
    /// </summary>
    public const string GroupSendOneHost = """
        redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[1])
        local members = redis.call('ZRANGE', KEYS[1], 0, -1)
        if #members == 0 then
          return {0, 0, 0, '', ''}
        end
        -- Per member this runs a few steps, so the library functions are locals (a global lookup each is slower) and
        -- the short str headers come from a table.
        local find, sub, char = string.find, string.sub, string.char
        local order, buckets, sizes = {}, {}, {}
        for i = 1, #members do
          local name = members[i]
          local bang = find(name, '!', 1, true)
          local target = bang and sub(name, 1, bang) or name
          local bucket = buckets[target]
          if not bucket then
            bucket = {}
            buckets[target] = bucket
            sizes[target] = 0
            order[#order + 1] = target
          end
          local size = sizes[target] + 1
          sizes[target] = size
          bucket[size] = name
        end
        local fixstr = {}
        for length = 0, 31 do
          fixstr[length] = char(160 + length)
        end
        local head = ARGV[3] .. ARGV[4] .. ARGV[5] .. char(176) .. '__asgi_channel__'
        local sent, dropped, gone = 0, 0, {}
        local firstDropped = ''
        for _, target in ipairs(order) do
          local names = buckets[target]
          local n = sizes[target]
          local parts = {head}
          if n < 16 then
            parts[2] = char(144 + n)
          elseif n < 65536 then
            parts[2] = char(220, math.floor(n / 256), n % 256)
          else
            parts[2] = char(221, math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
          end
          local p = 2
          for j = 1, n do
            local name = names[j]
            parts[p + 1] = fixstr[#name] or char(217, #name)
            parts[p + 2] = name
            p = p + 2
          end
          local key = ARGV[2] .. target
          local specific = string.sub(target, -1) == '!'
          local expired
          local capacity = ARGV[10]
          local ttl = ARGV[8]
          if specific then
            local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
            expired = oldest[2] ~= nil and tonumber(oldest[2]) <= tonumber(ARGV[7])
            capacity = ARGV[11]
            ttl = ARGV[9]
          else
            expired = redis.call('ZREMRANGEBYSCORE', key, 0, ARGV[7]) > 0
          end
          if redis.call('ZCARD', key) < tonumber(capacity) then
            redis.call('ZADD', key, ARGV[6], table.concat(parts))
            redis.call('EXPIRE', key, ttl)
            sent = sent + n
          else
            dropped = dropped + n
            if firstDropped == '' then
              firstDropped = names[1]
            end
          end
          if expired then
            for _, name in ipairs(names) do
              gone[#gone + 1] = name
            end
          end
        end
        for i = 1, #gone, 1000 do
          redis.call('ZREM', KEYS[1], unpack(gone, i, math.min(i + 999, #gone)))
        end
        return {sent, dropped, #gone, firstDropped, gone[1] or ''}
        """;
}
