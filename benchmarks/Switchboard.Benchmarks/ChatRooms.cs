using System.Collections.Concurrent;

namespace Switchboard.Benchmarks;

/// <summary>
/// The ceiling's rooms (of <see cref="ChatMember"/>s, or <see cref="CoalescingMember"/>s for the coalesced variant): a concurrent set of members per room name. Joining and leaving take a lock (rare);
/// broadcasting enumerates the set without one.
/// </summary>
internal sealed class ChatRooms<TMember>
    where TMember : notnull
{
    private readonly Dictionary<string, ConcurrentDictionary<TMember, byte>> _rooms = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="member"/> to <paramref name="room"/>, creating it if needed.</summary>
    /// <returns>The room's members, to broadcast to.</returns>
    public ConcurrentDictionary<TMember, byte> Join(string room, TMember member)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                members = new ConcurrentDictionary<TMember, byte>();
                _rooms.Add(room, members);
            }

            members.TryAdd(member, 0);
            return members;
        }
    }

    /// <summary>Removes <paramref name="member"/>; the last one to leave removes the room.</summary>
    public void Leave(string room, ConcurrentDictionary<TMember, byte> members, TMember member)
    {
        lock (_rooms)
        {
            members.TryRemove(member, out _);
            if (members.IsEmpty)
            {
                _rooms.Remove(room);
            }
        }
    }
}
