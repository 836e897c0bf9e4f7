using System.Collections.Concurrent;

namespace Switchboard.Benchmarks;

/// <summary>
/// The ceiling's rooms: a concurrent set of members per room name. Joining and leaving take a lock (rare);
/// broadcasting enumerates the set without one.
/// </summary>
internal sealed class ChatRooms
{
    private readonly Dictionary<string, ConcurrentDictionary<ChatMember, byte>> _rooms = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="member"/> to <paramref name="room"/>, creating it if needed.</summary>
    /// <returns>The room's members, to broadcast to.</returns>
    public ConcurrentDictionary<ChatMember, byte> Join(string room, ChatMember member)
    {
        lock (_rooms)
        {
            if (!_rooms.TryGetValue(room, out var members))
            {
                members = new ConcurrentDictionary<ChatMember, byte>();
                _rooms.Add(room, members);
            }

            members.TryAdd(member, 0);
            return members;
        }
    }

    /// <summary>Removes <paramref name="member"/>; the last one to leave removes the room.</summary>
    public void Leave(string room, ConcurrentDictionary<ChatMember, byte> members, ChatMember member)
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
