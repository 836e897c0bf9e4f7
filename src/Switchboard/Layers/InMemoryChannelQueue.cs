using System.Collections.Concurrent;
using Switchboard.Internal;

namespace Switchboard;

/// <summary>
/// One channel of the <see cref="InMemoryChannelLayer"/>: its unread messages (FIFO, each with its expiry time) and its
/// waiting receives (FIFO). One lock per channel, so traffic on different channels never contends.
/// </summary>
/// <remarks>
/// <para>Invariant: waiters exist only while no message is stored. A send hands its message straight to the first
/// waiter; a receive takes the first stored message or, when there is none, waits.</para>
/// <para>Bounds: a count (<see cref="Capacity"/>) and, for a process-specific channel, bytes (<see cref="MaxBytes"/>,
/// charged with <see cref="LayerMessage.SizeEstimate"/>). Where a process-specific channel loses messages (a group send
/// over the budget, or messages that expired unread) the queue keeps a <see cref="DroppedMessages"/> marker at that
/// place instead, merging consecutive losses, so its reader learns of every gap in order. Markers cost one entry each
/// and at most one follows each kept message, so they stay bounded too.</para>
/// <para>An idle queue (no messages, no markers, no waiters) is removed from the layer by the sweep, by flush, or when its
/// last waiting receive is cancelled. Removal sets
/// <see cref="_removed"/> and takes the queue out of the layer's map, both under this lock; a sender or receiver that
/// fetched the queue before that sees the flag under the same lock and fetches (or creates) the current queue again,
/// so nothing is ever written to a queue nobody can read.</para>
/// </remarks>
internal sealed class InMemoryChannelQueue
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, InMemoryChannelQueue> _owner;

    // How long a marker of expired messages waits for its reader, in expiry intervals: long enough that a reader that was
    // stuck (not dead) still learns what it missed; after that the reader is taken for gone and the idle queue is freed.
    private const int MarkerLifetimeInExpiries = 10;

    private readonly long _expiryTicks;

    // Guarded by _lock. Segments, not one growing array: a burst's backlog neither copies nor lands on the large-object heap.
    // _count and _bytes cover messages only, not markers. _tailDrop is the marker at the tail, which a next loss joins;
    // _headDrop is the loss of messages that expired at the head, delivered before everything else.
    private readonly SegmentedQueue<Entry> _messages = new();
    private int _count;
    private long _bytes;
    private DropRun? _tailDrop;
    private DropRun? _headDrop;
    private ReceiveWaiter? _firstWaiter;
    private ReceiveWaiter? _lastWaiter;
    private bool _removed;

    // One pooled waiter; swapped in and out with Interlocked, so returning it needs no lock.
    private ReceiveWaiter? _cachedWaiter;

    /// <summary>Creates the queue of a channel.</summary>
    /// <param name="name">The channel name.</param>
    /// <param name="capacity">The count limit (<see cref="int.MaxValue"/> for none).</param>
    /// <param name="maxBytes">The byte budget of a process-specific channel, whose losses leave markers; <see langword="null"/>
    /// for a named channel, which has no byte budget and whose losses the senders see.</param>
    /// <param name="expiryTicks">The message expiry in timestamp ticks; an unread marker of expired messages is kept ten times as long.</param>
    /// <param name="owner">The layer's map of queues, from which an idle queue removes itself.</param>
    public InMemoryChannelQueue(string name, int capacity, long? maxBytes, long expiryTicks, ConcurrentDictionary<string, InMemoryChannelQueue> owner)
    {
        Name = name;
        Capacity = capacity;
        MaxBytes = maxBytes;
        _expiryTicks = expiryTicks;
        _owner = owner;
    }

    public enum WriteResult
    {
        /// <summary>Stored for a later receive.</summary>
        Stored,

        /// <summary>A waiting receive took it: complete the waiter returned with it.</summary>
        Handed,

        /// <summary>The channel holds its capacity of unread messages (or its byte budget): the sender is told.</summary>
        Full,

        /// <summary>The process-specific channel is over its budget: the message was dropped and a marker left for its reader.</summary>
        Dropped,

        /// <summary>This queue was removed from the layer: fetch the current one and retry.</summary>
        Removed,
    }

    public enum ReceiveResult
    {
        /// <summary>A stored message was taken.</summary>
        Received,

        /// <summary>No message: the returned waiter completes with the next one.</summary>
        Waiting,

        /// <summary>No message, and the token is already cancelled.</summary>
        Canceled,

        /// <summary>This queue was removed from the layer: fetch the current one and retry.</summary>
        Removed,
    }

    /// <summary>Gets the channel name.</summary>
    public string Name { get; }

    /// <summary>Gets the channel's count limit, computed once from the rules when the queue was created.</summary>
    public int Capacity { get; }

    /// <summary>Gets the byte budget of a process-specific channel; <see langword="null"/> for a named channel.</summary>
    public long? MaxBytes { get; }

    /// <summary>Stores a message or hands it to the first waiting receive. Expired messages are purged first, so they
    /// never count against the capacity.</summary>
    /// <param name="message">The read-only message.</param>
    /// <param name="now">The layer's timestamp now.</param>
    /// <param name="expiresAt">The timestamp from which the message is expired.</param>
    /// <param name="dropWhenFull">For a group send: a process-specific channel over its bounds drops the message and
    /// leaves a marker (<see cref="WriteResult.Dropped"/>) instead of reporting <see cref="WriteResult.Full"/>.</param>
    /// <param name="expired">How many expired messages were purged.</param>
    /// <param name="waiter">With <see cref="WriteResult.Handed"/>, the waiter the caller must complete (outside the lock).</param>
    public WriteResult TryWrite(LayerMessage message, long now, long expiresAt, bool dropWhenFull, out int expired, out ReceiveWaiter? waiter)
    {
        waiter = null;
        lock (_lock)
        {
            if (_removed)
            {
                expired = 0;
                return WriteResult.Removed;
            }

            expired = PurgeExpired(now);
            if (_firstWaiter is { } first)
            {
                Unlink(first);
                waiter = first;
                return WriteResult.Handed;
            }

            // A process-specific channel is charged the message's size; one message larger than the budget still fits
            // an empty channel, so it can be delivered at all.
            var size = MaxBytes is null ? 0 : message.SizeEstimate;
            if (_count >= Capacity || (_count > 0 && _bytes + size > MaxBytes))
            {
                if (!dropWhenFull || MaxBytes is null)
                {
                    return WriteResult.Full;
                }

                if (_tailDrop is null)
                {
                    _tailDrop = new DropRun(DroppedMessages.Budget, expiresAt);
                    _messages.Enqueue(new Entry(null, _tailDrop, expiresAt, 0));
                }

                _tailDrop.Count++;
                return WriteResult.Dropped;
            }

            _messages.Enqueue(new Entry(message, null, expiresAt, size));
            _count++;
            _bytes += size;
            _tailDrop = null;
            return WriteResult.Stored;
        }
    }

    /// <summary>Takes the first unexpired message (and, into <paramref name="following"/>, up to
    /// <see cref="IQuietReceive.MaxFollowing"/> stored messages after it), or links a waiter for the next one (which a
    /// cancellation completes with <see langword="null"/> when <paramref name="quiet"/>, else fails).</summary>
    public ReceiveResult TryReceive(
        long now,
        CancellationToken cancellationToken,
        bool quiet,
        List<LayerMessage>? following,
        out LayerMessage? message,
        out ReceiveWaiter? waiter,
        out int expired)
    {
        message = null;
        waiter = null;
        lock (_lock)
        {
            if (_removed)
            {
                expired = 0;
                return ReceiveResult.Removed;
            }

            expired = PurgeExpired(now);
            if (_headDrop is { } headDrop)
            {
                _headDrop = null;
                message = DroppedMessages.Create(headDrop.Count, headDrop.Reason);
                return ReceiveResult.Received;
            }

            if (_messages.TryDequeue(out var entry))
            {
                message = Take(entry);
                while (following is not null && following.Count < IQuietReceive.MaxFollowing && _messages.TryDequeue(out entry))
                {
                    following.Add(Take(entry));
                }

                return ReceiveResult.Received;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ReceiveResult.Canceled;
            }

            waiter = Interlocked.Exchange(ref _cachedWaiter, null) ?? new ReceiveWaiter(this);
            Link(waiter);
            waiter.RegisterCancellation(cancellationToken, quiet);
            return ReceiveResult.Waiting;
        }
    }

    /// <summary>Unlinks a waiter whose receive was cancelled, and removes the queue when that leaves it idle;
    /// <see langword="false"/> when someone else already owns the waiter.</summary>
    /// <remarks>A consumer's receive is cancelled when its connection ends: removing its idle queue then (as Channels'
    /// in-memory layer deletes an empty queue after every receive) frees it at once instead of at the next sweep, up to
    /// an expiry later. The churn soak found the difference: every departed connection's queue stayed for up to a minute.</remarks>
    public bool TryUnlink(ReceiveWaiter waiter)
    {
        lock (_lock)
        {
            if (!waiter.IsLinked)
            {
                return false;
            }

            Unlink(waiter);
            RemoveIfIdle();
            return true;
        }
    }

    /// <summary>Keeps a completed waiter for the next receive on this channel.</summary>
    public void ReturnWaiter(ReceiveWaiter waiter) => Volatile.Write(ref _cachedWaiter, waiter);

    /// <summary>Purges expired messages and removes the queue from the layer when it is idle.</summary>
    /// <returns>How many expired messages were purged.</returns>
    public int Sweep(long now)
    {
        lock (_lock)
        {
            if (_removed)
            {
                return 0;
            }

            var expired = PurgeExpired(now);
            if (_headDrop is { } headDrop && now >= headDrop.ExpiresAt)
            {
                // Nobody read the marker for a whole expiry either: the reader is gone, and so is the gap it would see.
                _headDrop = null;
            }

            RemoveIfIdle();
            return expired;
        }
    }

    /// <summary>Drops every stored message (flush); waiting receives stay and get the next message sent.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            ClearLocked();
            RemoveIfIdle();
        }
    }

    /// <summary>Removes the queue for good and returns its waiters, unlinked, for the caller to fail (dispose).</summary>
    public List<ReceiveWaiter> Close()
    {
        var waiters = new List<ReceiveWaiter>();
        lock (_lock)
        {
            ClearLocked();
            while (_firstWaiter is { } first)
            {
                Unlink(first);
                waiters.Add(first);
            }

            RemoveIfIdle();
        }

        return waiters;
    }

    private LayerMessage Take(Entry entry)
    {
        if (entry.Message is { } message)
        {
            _count--;
            _bytes -= entry.Size;
            return message;
        }

        if (ReferenceEquals(_tailDrop, entry.Drop))
        {
            _tailDrop = null;
        }

        return DroppedMessages.Create(entry.Drop!.Count, entry.Drop.Reason);
    }

    private int PurgeExpired(long now)
    {
        // Every message of a channel lives equally long, so the oldest expire first: only the head needs checking.
        // On a process-specific channel what expires becomes the head marker (a marker that expired folds into it).
        var expired = 0;
        while (_messages.TryPeek(out var head) && now >= head.ExpiresAt)
        {
            _messages.Dequeue();
            var lost = 1L;
            var reason = DroppedMessages.Expired;
            if (head.Message is null)
            {
                lost = head.Drop!.Count;
                reason = head.Drop.Reason;
                if (ReferenceEquals(_tailDrop, head.Drop))
                {
                    _tailDrop = null;
                }
            }
            else
            {
                _count--;
                _bytes -= head.Size;
                expired++;
            }

            if (MaxBytes is not null)
            {
                _headDrop ??= new DropRun(reason, now + (MarkerLifetimeInExpiries * _expiryTicks));
                _headDrop.Count += lost;
            }
        }

        return expired;
    }

    private void ClearLocked()
    {
        _messages.Clear();
        _count = 0;
        _bytes = 0;
        _tailDrop = null;
        _headDrop = null;
    }

    private void RemoveIfIdle()
    {
        if (_messages.Count == 0 && _headDrop is null && _firstWaiter is null && !_removed)
        {
            // Under the lock, so the flag and the map agree for anyone who locks this queue next.
            _removed = true;
            _owner.TryRemove(new KeyValuePair<string, InMemoryChannelQueue>(Name, this));
        }
    }

    private void Link(ReceiveWaiter waiter)
    {
        waiter.IsLinked = true;
        waiter.Previous = _lastWaiter;
        waiter.Next = null;
        if (_lastWaiter is null)
        {
            _firstWaiter = waiter;
        }
        else
        {
            _lastWaiter.Next = waiter;
        }

        _lastWaiter = waiter;
    }

    private void Unlink(ReceiveWaiter waiter)
    {
        if (waiter.Previous is null)
        {
            _firstWaiter = waiter.Next;
        }
        else
        {
            waiter.Previous.Next = waiter.Next;
        }

        if (waiter.Next is null)
        {
            _lastWaiter = waiter.Previous;
        }
        else
        {
            waiter.Next.Previous = waiter.Previous;
        }

        waiter.Previous = null;
        waiter.Next = null;
        waiter.IsLinked = false;
    }

    /// <summary>A stored message, or (with <see cref="Message"/> null) a marker of lost messages.</summary>
    private readonly record struct Entry(LayerMessage? Message, DropRun? Drop, long ExpiresAt, long Size);

    /// <summary>A run of consecutive losses: how many, why the first was lost, and until when its marker is kept.</summary>
    private sealed class DropRun(string reason, long expiresAt)
    {
        public string Reason { get; } = reason;

        public long ExpiresAt { get; } = expiresAt;

        public long Count { get; set; }
    }
}
