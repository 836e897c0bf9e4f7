using System.Collections.Concurrent;

namespace Switchboard;

/// <summary>
/// One group of the <see cref="InMemoryChannelLayer"/>: its member channels, each with the time of its last add.
/// </summary>
/// <remarks>
/// <para>Group send reads <see cref="Members"/>, an immutable snapshot, without locking; writers (add, discard,
/// expiry) serialise on the group's lock and publish a new snapshot. To keep membership changes cheap for large
/// groups, snapshots share one backing array: a new member goes into the free slot just past the published count
/// (no reader looks there), re-adding refreshes the member's time in place, and a discard only flags the member as
/// removed (readers skip it). The array is copied only to grow, or to compact once more than half of it is removed
/// members, so adds and discards cost amortised O(1) and a group send is a plain array walk.</para>
/// <para>An empty group removes itself from the layer under its lock and is flagged, like an idle channel queue, so a
/// concurrent add retries on the current group instead of joining a removed one.</para>
/// </remarks>
internal sealed class InMemoryGroup
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, InMemoryGroup> _owner;

    // Guarded by _lock: the live members by channel name, the backing array (slots below the published count are never
    // rewritten), and how many published members are flagged removed.
    private readonly Dictionary<string, Member> _byChannel = new(StringComparer.Ordinal);
    private Member[] _buffer = [];
    private int _removedCount;
    private bool _removed;

    private volatile Snapshot _snapshot = Snapshot.Empty;

    public InMemoryGroup(string name, ConcurrentDictionary<string, InMemoryGroup> owner)
    {
        Name = name;
        _owner = owner;
    }

    public string Name { get; }

    /// <summary>Gets the members to send to; may include members flagged <see cref="Member.IsRemoved"/>, which readers skip.</summary>
    public Snapshot Members => _snapshot;

    /// <summary>Adds a channel or refreshes its time; <see langword="false"/> when this group was removed (retry on the current one).</summary>
    public bool Add(string channel, long now)
    {
        lock (_lock)
        {
            if (_removed)
            {
                return false;
            }

            if (_byChannel.TryGetValue(channel, out var existing))
            {
                existing.JoinedAt = now;
                return true;
            }

            var member = new Member(channel, now);
            _byChannel.Add(channel, member);
            var count = _snapshot.Count;
            if (count == _buffer.Length)
            {
                count = Compact(Math.Max(4, _byChannel.Count * 2));
            }

            _buffer[count] = member;
            _snapshot = new Snapshot(_buffer, count + 1);
            return true;
        }
    }

    /// <summary>Removes a channel if it is a member.</summary>
    public void Remove(string channel)
    {
        lock (_lock)
        {
            if (_byChannel.Remove(channel, out var member))
            {
                RemoveMember(member);
            }
        }
    }

    /// <summary>Removes the members whose last add is <paramref name="expiry"/> or longer ago.</summary>
    public void RemoveExpired(long now, long expiry)
    {
        lock (_lock)
        {
            var snapshot = _snapshot;
            for (var i = 0; i < snapshot.Count; i++)
            {
                var member = snapshot.Items[i];
                if (!member.IsRemoved && now - member.JoinedAt >= expiry)
                {
                    _byChannel.Remove(member.Channel);
                    RemoveMember(member);
                }
            }
        }
    }

    /// <summary>Removes every member and the group itself (flush).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var member in _byChannel.Values)
            {
                member.IsRemoved = true;
            }

            _byChannel.Clear();
            RemoveIfEmpty();
        }
    }

    private void RemoveMember(Member member)
    {
        member.IsRemoved = true;
        _removedCount++;
        if (!RemoveIfEmpty() && _removedCount > _byChannel.Count)
        {
            // Compact first: it replaces _buffer, and the snapshot must point at the new one (arguments are evaluated
            // left to right, so passing _buffer and Compact(...) together would publish the old array).
            var count = Compact(_byChannel.Count * 2);
            _snapshot = new Snapshot(_buffer, count);
        }
    }

    private bool RemoveIfEmpty()
    {
        if (_byChannel.Count > 0 || _removed)
        {
            return _removed;
        }

        _removed = true;
        _buffer = [];
        _removedCount = 0;
        _snapshot = Snapshot.Empty;
        _owner.TryRemove(new KeyValuePair<string, InMemoryGroup>(Name, this));
        return true;
    }

    /// <summary>Copies the live members, in join order, into a new array of <paramref name="size"/> slots; readers of
    /// older snapshots keep the old array. Returns the live count; the caller publishes.</summary>
    private int Compact(int size)
    {
        var snapshot = _snapshot;
        var buffer = new Member[size];
        var count = 0;
        for (var i = 0; i < snapshot.Count; i++)
        {
            var member = snapshot.Items[i];
            if (!member.IsRemoved)
            {
                buffer[count++] = member;
            }
        }

        _buffer = buffer;
        _removedCount = 0;
        return count;
    }

    /// <summary>A member channel. <see cref="JoinedAt"/> and <see cref="IsRemoved"/> change in place, so they are volatile.</summary>
    internal sealed class Member(string channel, long joinedAt)
    {
        private long _joinedAt = joinedAt;
        private volatile bool _isRemoved;

        public string Channel { get; } = channel;

        /// <summary>Gets or sets the layer timestamp of the last add.</summary>
        public long JoinedAt
        {
            get => Volatile.Read(ref _joinedAt);
            set => Volatile.Write(ref _joinedAt, value);
        }

        public bool IsRemoved
        {
            get => _isRemoved;
            set => _isRemoved = value;
        }

        /// <summary>Gets or sets the channel's queue as a group send last found it, so that the next one skips the lookup
        /// by name (a hash of the name per member per message); the table replaces it when the queue was removed.
        /// Group sends on several threads may set it at once: any queue they store is one the table handed out.</summary>
        public InMemoryChannelQueue? Queue { get; set; }
    }

    /// <summary>The published members: the first <see cref="Count"/> slots of <see cref="Items"/>.</summary>
    internal sealed class Snapshot(Member[] items, int count)
    {
        public static readonly Snapshot Empty = new([], 0);

        public Member[] Items { get; } = items;

        public int Count { get; } = count;
    }
}
