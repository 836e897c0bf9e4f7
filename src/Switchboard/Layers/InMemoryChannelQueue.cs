using System.Collections.Concurrent;

namespace Switchboard;

/// <summary>
/// One channel of the <see cref="InMemoryChannelLayer"/>: its unread messages (FIFO, each with its expiry time) and its
/// waiting receives (FIFO). One lock per channel, so traffic on different channels never contends.
/// </summary>
/// <remarks>
/// <para>Invariant: waiters exist only while no message is stored. A send hands its message straight to the first
/// waiter; a receive takes the first stored message or, when there is none, waits.</para>
/// <para>An idle queue (no messages, no waiters) is removed from the layer by the sweep or by flush. Removal sets
/// <see cref="_removed"/> and takes the queue out of the layer's map, both under this lock; a sender or receiver that
/// fetched the queue before that sees the flag under the same lock and fetches (or creates) the current queue again,
/// so nothing is ever written to a queue nobody can read.</para>
/// </remarks>
internal sealed class InMemoryChannelQueue
{
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<string, InMemoryChannelQueue> _owner;

    // Guarded by _lock. Queue<T> is a ring buffer: no allocation per message once it has grown to the working size.
    private readonly Queue<Entry> _messages = new();
    private ReceiveWaiter? _firstWaiter;
    private ReceiveWaiter? _lastWaiter;
    private bool _removed;

    // One pooled waiter; swapped in and out with Interlocked, so returning it needs no lock.
    private ReceiveWaiter? _cachedWaiter;

    public InMemoryChannelQueue(string name, int capacity, ConcurrentDictionary<string, InMemoryChannelQueue> owner)
    {
        Name = name;
        Capacity = capacity;
        _owner = owner;
    }

    public enum WriteResult
    {
        /// <summary>Stored for a later receive.</summary>
        Stored,

        /// <summary>A waiting receive took it: complete the waiter returned with it.</summary>
        Handed,

        /// <summary>The channel holds its capacity of unread messages.</summary>
        Full,

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

    /// <summary>Gets the channel's capacity, computed once from the rules when the queue was created.</summary>
    public int Capacity { get; }

    /// <summary>Stores a message or hands it to the first waiting receive. Expired messages are purged first, so they
    /// never count against the capacity.</summary>
    /// <param name="message">The read-only message.</param>
    /// <param name="now">The layer's timestamp now.</param>
    /// <param name="expiresAt">The timestamp from which the message is expired.</param>
    /// <param name="expired">How many expired messages were purged.</param>
    /// <param name="waiter">With <see cref="WriteResult.Handed"/>, the waiter the caller must complete (outside the lock).</param>
    public WriteResult TryWrite(LayerMessage message, long now, long expiresAt, out int expired, out ReceiveWaiter? waiter)
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

            if (_messages.Count >= Capacity)
            {
                return WriteResult.Full;
            }

            _messages.Enqueue(new Entry(message, expiresAt));
            return WriteResult.Stored;
        }
    }

    /// <summary>Takes the first unexpired message, or links a waiter for the next one.</summary>
    public ReceiveResult TryReceive(long now, CancellationToken cancellationToken, out LayerMessage? message, out ReceiveWaiter? waiter, out int expired)
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
            if (_messages.TryDequeue(out var entry))
            {
                message = entry.Message;
                return ReceiveResult.Received;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ReceiveResult.Canceled;
            }

            waiter = Interlocked.Exchange(ref _cachedWaiter, null) ?? new ReceiveWaiter(this);
            Link(waiter);
            waiter.RegisterCancellation(cancellationToken);
            return ReceiveResult.Waiting;
        }
    }

    /// <summary>Unlinks a waiter whose receive was cancelled; <see langword="false"/> when someone else already owns it.</summary>
    public bool TryUnlink(ReceiveWaiter waiter)
    {
        lock (_lock)
        {
            if (!waiter.IsLinked)
            {
                return false;
            }

            Unlink(waiter);
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
            RemoveIfIdle();
            return expired;
        }
    }

    /// <summary>Drops every stored message (flush); waiting receives stay and get the next message sent.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _messages.Clear();
            RemoveIfIdle();
        }
    }

    /// <summary>Removes the queue for good and returns its waiters, unlinked, for the caller to fail (dispose).</summary>
    public List<ReceiveWaiter> Close()
    {
        var waiters = new List<ReceiveWaiter>();
        lock (_lock)
        {
            _messages.Clear();
            while (_firstWaiter is { } first)
            {
                Unlink(first);
                waiters.Add(first);
            }

            RemoveIfIdle();
        }

        return waiters;
    }

    private int PurgeExpired(long now)
    {
        // Every message of a channel lives equally long, so the oldest expire first: only the head needs checking.
        var expired = 0;
        while (_messages.TryPeek(out var head) && now >= head.ExpiresAt)
        {
            _messages.Dequeue();
            expired++;
        }

        return expired;
    }

    private void RemoveIfIdle()
    {
        if (_messages.Count == 0 && _firstWaiter is null && !_removed)
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

    private readonly record struct Entry(LayerMessage Message, long ExpiresAt);
}
