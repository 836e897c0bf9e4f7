using System.Collections.Concurrent;

namespace Switchboard;

/// <summary>
/// The channels held in this process, by name: each an <see cref="InMemoryChannelQueue"/>, made on first use and freed
/// by the queue itself once idle. Shared by the in-memory layer (all its channels) and the Redis layer (the local
/// buffers its receive loop fills), so that both deliver by the same rules: FIFO, expiry from the send time, readers
/// served in order, capacity or byte budget, and the retry when a sweep removed the queue just fetched.
/// </summary>
internal sealed class InMemoryChannelTable
{
    private static readonly Func<string, InMemoryChannelTable, InMemoryChannelQueue> s_createQueue =
        static (name, table) => new InMemoryChannelQueue(
            name,
            table._options.GetCapacity(name),
            ChannelNames.IsProcessSpecific(name) ? table._options.SpecificChannelMaxBytes : null,
            table._expiryTicks,
            table._queues);

    private readonly ConcurrentDictionary<string, InMemoryChannelQueue> _queues = new(StringComparer.Ordinal);
    private readonly ChannelLayerOptions _options;
    private readonly long _expiryTicks;
    private readonly Action<string, int> _onExpired;
    private readonly Action<int>? _onHandedOver;
    private readonly string _ownerName;
    private volatile bool _closed;

    /// <param name="options">Capacities, the byte budget of process-specific channels.</param>
    /// <param name="expiryTicks">The expiry in <see cref="TimeProvider"/> timestamp units.</param>
    /// <param name="onExpired">Told of messages that expired unread on a channel (never with 0).</param>
    /// <param name="onHandedOver">Told how many messages a receive took, at once or while it waited.</param>
    /// <param name="ownerName">The layer's type name, for the <see cref="ObjectDisposedException"/> of waiting receives.</param>
    public InMemoryChannelTable(ChannelLayerOptions options, long expiryTicks, Action<string, int> onExpired, Action<int>? onHandedOver, string ownerName)
    {
        _options = options;
        _expiryTicks = expiryTicks;
        _onExpired = onExpired;
        _onHandedOver = onHandedOver;
        _ownerName = ownerName;
    }

    /// <summary>Gets the number of queues held, for tests of the sweep.</summary>
    public int Count => _queues.Count;

    /// <summary>Gets a value indicating whether <see cref="Close"/> ran.</summary>
    public bool IsClosed => _closed;

    /// <summary>Stores a message on a channel, or hands it to the receive waiting there. The out parameter is the
    /// channel's queue, for the caller's error message when the result is <see cref="InMemoryChannelQueue.WriteResult.Full"/>.</summary>
    public InMemoryChannelQueue.WriteResult Write(
        string channel, LayerMessage message, long now, long expiresAt, bool dropWhenFull, out InMemoryChannelQueue queue)
    {
        InMemoryChannelQueue? unknown = null;
        return Write(channel, message, now, expiresAt, dropWhenFull, ref unknown, out queue);
    }

    /// <summary>Writes as <see cref="Write(string, LayerMessage, long, long, bool, out InMemoryChannelQueue)"/>, to the
    /// queue <paramref name="cached"/> names when it is still the channel's (a group member's), and leaves the channel's
    /// current queue there.</summary>
    public InMemoryChannelQueue.WriteResult Write(
        string channel, LayerMessage message, long now, long expiresAt, bool dropWhenFull, ref InMemoryChannelQueue? cached, out InMemoryChannelQueue queue)
    {
        while (true)
        {
            queue = cached ?? _queues.GetOrAdd(channel, s_createQueue, this);
            var result = queue.TryWrite(message, now, expiresAt, dropWhenFull, out var expired, out var waiter);
            cached = result == InMemoryChannelQueue.WriteResult.Removed ? null : queue;
            OnExpired(channel, expired);
            switch (result)
            {
                case InMemoryChannelQueue.WriteResult.Handed:
                    // Completed outside the queue's lock; its continuation runs on the thread pool.
                    waiter!.SetResult(message);
                    _onHandedOver?.Invoke(1);
                    return result;
                case InMemoryChannelQueue.WriteResult.Removed:
                    continue; // the sweep removed the queue we fetched; fetch the current one
                default:
                    return result;
            }
        }
    }

    /// <summary>Takes the channel's next message, waiting for one, and moves the stored messages after it into
    /// <paramref name="following"/> when given (<see cref="IQuietReceive.ReceiveOrNullAsync"/>). A cancelled receive fails with
    /// <see cref="OperationCanceledException"/>, or completes with <see langword="null"/> when <paramref name="quiet"/>.</summary>
    public ValueTask<LayerMessage?> ReceiveAsync(string channel, long now, bool quiet, List<LayerMessage>? following, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return quiet ? default : ValueTask.FromCanceled<LayerMessage?>(cancellationToken);
        }

        while (true)
        {
            var queue = _queues.GetOrAdd(channel, s_createQueue, this);
            var result = queue.TryReceive(now, cancellationToken, quiet, following, out var message, out var waiter, out var expired);
            OnExpired(channel, expired);
            switch (result)
            {
                case InMemoryChannelQueue.ReceiveResult.Received:
                    _onHandedOver?.Invoke(1 + (following?.Count ?? 0));
                    return new ValueTask<LayerMessage?>(message!);
                case InMemoryChannelQueue.ReceiveResult.Waiting:
                    // A Close that ran after the caller's check may have missed this queue: fail its waiters here.
                    Interlocked.MemoryBarrier();
                    if (_closed)
                    {
                        FailWaiters(queue);
                    }

                    return waiter!.Task!;
                case InMemoryChannelQueue.ReceiveResult.Canceled:
                    return quiet ? default : ValueTask.FromCanceled<LayerMessage?>(cancellationToken);
                default:
                    continue; // the sweep removed the queue we fetched; fetch the current one
            }
        }
    }

    /// <summary>Drops every stored message (flush); waiting receives keep waiting.</summary>
    public void Clear()
    {
        foreach (var pair in _queues)
        {
            pair.Value.Clear();
        }
    }

    /// <summary>Purges expired messages and lets idle queues go.</summary>
    public void Sweep(long now)
    {
        // Enumerating a ConcurrentDictionary takes no lock and tolerates concurrent changes.
        foreach (var pair in _queues)
        {
            OnExpired(pair.Key, pair.Value.Sweep(now));
        }
    }

    /// <summary>Drops every message and fails waiting receives, now and later, with <see cref="ObjectDisposedException"/>.</summary>
    public void Close()
    {
        _closed = true;
        Interlocked.MemoryBarrier();
        foreach (var pair in _queues)
        {
            FailWaiters(pair.Value);
        }
    }

    private void FailWaiters(InMemoryChannelQueue queue)
    {
        foreach (var waiter in queue.Close())
        {
            waiter.SetException(new ObjectDisposedException(_ownerName, "The channel layer was disposed while this receive waited."));
        }
    }

    private void OnExpired(string channel, int expired)
    {
        if (expired > 0)
        {
            _onExpired(channel, expired);
        }
    }
}
