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
    private readonly InMemoryChannelTable _channels;
    private readonly TimeProvider _timeProvider;
    private readonly ITimer _sweepTimer;

    public RedisLocalChannels(ChannelLayerOptions options, TimeProvider timeProvider, long expiryTicks, Action<string, int> onExpired)
    {
        _timeProvider = timeProvider;

        // Every local channel is process-specific, so each gets the byte budget of one.
        _channels = new InMemoryChannelTable(options, expiryTicks, onExpired, onHandedOver: null, nameof(RedisChannelLayer));

        // At most hourly, like the in-memory layer's sweep: it only bounds how long departed consumers' buffers live.
        var interval = TimeSpan.FromTicks(Math.Min(options.Expiry.Ticks, TimeSpan.TicksPerHour));
        _sweepTimer = timeProvider.CreateTimer(static state => ((RedisLocalChannels)state!).Sweep(), this, interval, interval);
    }

    /// <summary>Gets the number of local buffers held, for tests.</summary>
    public int Count => _channels.Count;

    /// <summary>Puts a message into a local channel's buffer, or hands it to the receive waiting there; over the
    /// channel's budget it is dropped and a marker left in its place (the sender cannot be told any more).</summary>
    /// <param name="channel">The local channel.</param>
    /// <param name="message">The read-only message, shared by every local channel it goes to.</param>
    /// <param name="expiresAt">The <see cref="TimeProvider"/> timestamp from which it is expired.</param>
    /// <returns><see langword="false"/> when it was dropped over the budget.</returns>
    public bool Deliver(string channel, LayerMessage message, long expiresAt) =>
        _channels.IsClosed
        || _channels.Write(channel, message, _timeProvider.GetTimestamp(), expiresAt, dropWhenFull: true, out _) != InMemoryChannelQueue.WriteResult.Dropped;

    /// <summary>Takes the next message of a local channel, waiting for one; when <paramref name="quiet"/>, a cancelled
    /// receive completes with <see langword="null"/> instead of throwing (<see cref="IQuietReceive"/>).</summary>
    public ValueTask<LayerMessage?> ReceiveAsync(string channel, bool quiet, List<LayerMessage>? following, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_channels.IsClosed, this);
        return _channels.ReceiveAsync(channel, _timeProvider.GetTimestamp(), quiet, following, cancellationToken);
    }

    /// <summary>Drops every buffered message (flush); waiting receives keep waiting.</summary>
    public void Clear() => _channels.Clear();

    /// <summary>Fails waiting receives with <see cref="ObjectDisposedException"/> and drops every buffer.</summary>
    public void Dispose()
    {
        _channels.Close();
        _sweepTimer.Dispose();
    }

    /// <summary>Purges expired messages and frees idle buffers, so channels of departed consumers do not hold memory.</summary>
    internal void Sweep() => _channels.Sweep(_timeProvider.GetTimestamp());
}
