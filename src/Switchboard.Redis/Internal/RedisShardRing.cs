using System.IO.Hashing;
using System.Text;

namespace Switchboard.Redis.Internal;

/// <summary>
/// channels_redis' consistent hash (<c>_consistent_hash</c>): the CRC-32 (zlib's) of the UTF-8 name, masked to 12 bits,
/// spread evenly over the hosts in list order. Every process sharing the Redis hosts must see the same list to agree
/// where a group or a process's key lives.
/// </summary>
internal static class RedisShardRing
{
    /// <summary>Returns the host index for a name among <paramref name="hostCount"/> hosts.</summary>
    /// <param name="name">A group name, or a channel's non-local name (<c>specific.abc!</c>); never a full
    /// process-specific name (channels_redis 4.0's send does that and loses messages when sharded).</param>
    /// <param name="hostCount">How many hosts there are.</param>
    public static int GetIndex(string name, int hostCount)
    {
        if (hostCount == 1)
        {
            return 0;
        }

        var byteCount = Encoding.UTF8.GetByteCount(name);
        Span<byte> buffer = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(name, buffer);
        var bucket = Crc32.HashToUInt32(buffer) & 0xFFF;

        // The same double arithmetic as Python's int(bucket / (4096 / float(n))), so no host count can disagree.
        return (int)(bucket / (4096.0 / hostCount));
    }
}
