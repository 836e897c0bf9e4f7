using System.Collections.Concurrent;

namespace Switchboard.Redis.Internal;

/// <summary>
/// The local buffers of this process's channels: what the receive loop took from the process's Redis key, waiting for
/// the consumer of each local channel to receive it. Each buffer is the core's <see cref="InMemoryChannelQueue"/>, so
/// the delivery rules are the in-memory layer's for process-specific channels (the fan-out contract): FIFO, expiry from
/// the send time, readers served in order, each channel bounded by <see cref="ChannelLayerOptions.SpecificChannelMaxBytes"/>,
/// and a <see cref="DroppedMessages"/> marker where messages were lost (over the budget, or expired unread).
/// </summary>
internal sealed class RedisLocalChannels : IDisposable
{
    private static readonly Func<string, RedisLocalChannels, InMemoryChannelQueue> s_createQueue =
        static (name, owner) => new InMemoryChannelQueue(name, owner._options.GetCapacity(name), owner._options.SpecificChannelMaxBytes, owner._expiryTicks, owner._queues);

    private readonly ConcurrentDictionary<string, InMemoryChannelQueue> _queues = new(StringComparer.Ordinal);
    private readonly ChannelLayerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly long _expiryTicks;
    private readonly ITimer _sweepTimer;
    private readonly Action<string, long> _onExpired;
    private volatile bool _disposed;

    public RedisLocalChannels(ChannelLayerOptions options, TimeProvider timeProvider, long expiryTicks, Action<string, long> onExpired)
    {
        _options = options;
        _timeProvider = timeProvider;
        _expiryTicks = expiryTicks;
        _onExpired = onExpired;

        // At most hourly, like the in-memory layer's sweep: it only bounds how long departed consumers' buffers live.
        var interval = TimeSpan.FromTicks(Math.Min(options.Expiry.Ticks, TimeSpan.TicksPerHour));
        _sweepTimer = timeProvider.CreateTimer(static state => ((RedisLocalChannels)state!).Sweep(), this, interval, interval);
    }

    /// <summary>Gets the number of local buffers held, for tests.</summary>
    public int Count => _queues.Count;

    /// <summary>Puts a message into a local channel's buffer, or hands it to the receive waiting there; over the
    /// channel's budget it is dropped and a marker left in its place (the sender cannot be told any more).</summary>
    /// <param name="channel">The local channel.</param>
    /// <param name="message">The read-only message, shared by every local channel it goes to.</param>
    /// <param name="expiresAt">The <see cref="TimeProvider"/> timestamp from which it is expired.</param>
    /// <returns><see langword="false"/> when it was dropped over the budget.</returns>
    public bool Deliver(string channel, LayerMessage message, long expiresAt)
    {
        if (_disposed)
        {
            return true;
        }

        var now = _timeProvider.GetTimestamp();
        while (true)
        {
            var queue = _queues.GetOrAdd(channel, s_createQueue, this);
            var result = queue.TryWrite(message, now, expiresAt, dropWhenFull: true, out var expired, out var waiter);
            OnExpired(channel, expired);
            switch (result)
            {
                case InMemoryChannelQueue.WriteResult.Handed:
                    waiter!.SetResult(message);
                    return true;
                case InMemoryChannelQueue.WriteResult.Removed:
                    continue;
                default:
                    return result != InMemoryChannelQueue.WriteResult.Dropped;
            }
        }
    }

    /// <summary>Takes the next message of a local channel, waiting for one.</summary>
    public ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = _timeProvider.GetTimestamp();
        while (true)
        {
            var queue = _queues.GetOrAdd(channel, s_createQueue, this);
            var result = queue.TryReceive(now, cancellationToken, quiet: false, out var message, out var waiter, out var expired);
            OnExpired(channel, expired);
            switch (result)
            {
                case InMemoryChannelQueue.ReceiveResult.Received:
                    return new ValueTask<LayerMessage>(message!);
                case InMemoryChannelQueue.ReceiveResult.Waiting:
                    Interlocked.MemoryBarrier();
                    if (_disposed)
                    {
                        Fail(queue);
                    }

                    return waiter!.Task;
                case InMemoryChannelQueue.ReceiveResult.Canceled:
                    return ValueTask.FromCanceled<LayerMessage>(cancellationToken);
                default:
                    continue;
            }
        }
    }

    /// <summary>Drops every buffered message (flush); waiting receives keep waiting.</summary>
    public void Clear()
    {
        foreach (var pair in _queues)
        {
            pair.Value.Clear();
        }
    }

    /// <summary>Fails waiting receives with <see cref="ObjectDisposedException"/> and drops every buffer.</summary>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.MemoryBarrier();
        _sweepTimer.Dispose();
        foreach (var pair in _queues)
        {
            Fail(pair.Value);
        }
    }

    /// <summary>Purges expired messages and frees idle buffers, so channels of departed consumers do not hold memory.</summary>
    internal void Sweep()
    {
        var now = _timeProvider.GetTimestamp();
        foreach (var pair in _queues)
        {
            OnExpired(pair.Key, pair.Value.Sweep(now));
        }
    }

    private static void Fail(InMemoryChannelQueue queue)
    {
        foreach (var waiter in queue.Close())
        {
            waiter.SetException(new ObjectDisposedException(nameof(RedisChannelLayer), "The channel layer was disposed while this receive waited."));
        }
    }

    private void OnExpired(string channel, long expired)
    {
        if (expired > 0)
        {
            _onExpired(channel, expired);
        }
    }
}
