using StackExchange.Redis;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis;

public sealed partial class RedisChannelLayer
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>A process-specific channel must be one this layer created (<see cref="NewChannelAsync"/>): its messages come
    /// from the process's receive loop, through the channel's local buffer; the loop runs while a receive is in
    /// progress. A normal channel is popped directly from Redis (<c>BZPOPMIN</c> on a dedicated connection, no in-flight
    /// backup), so among several processes reading one channel each message reaches exactly one; a cancelled receive
    /// wakes its pop at once (<c>CLIENT UNBLOCK</c>) and takes nothing, unless a message arrived in that instant, which
    /// it then returns.</para>
    /// <para>Messages older than <see cref="ChannelLayerOptions.Expiry"/> are discarded, never delivered; a stored
    /// message that cannot be decoded (another serializer, wrong keys) is logged as an error and skipped.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The name is invalid, or is a process-specific name of another process.</exception>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable (normal channels; process-specific receives keep
    /// waiting while the loop reconnects).</exception>
    /// <exception cref="ObjectDisposedException">The layer is disposed, also while waiting.</exception>
    public ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken = default) =>
        ReceiveCoreAsync(channel, quiet: false, following: null, cancellationToken)!;

    /// <inheritdoc />
    ValueTask<LayerMessage?> IQuietReceive.ReceiveOrNullAsync(string channel, List<LayerMessage>? following, CancellationToken cancellationToken) =>
        ReceiveCoreAsync(channel, quiet: true, following, cancellationToken);

    private ValueTask<LayerMessage?> ReceiveCoreAsync(string channel, bool quiet, List<LayerMessage>? following, CancellationToken cancellationToken)
    {
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return quiet ? default : ValueTask.FromCanceled<LayerMessage?>(cancellationToken);
        }

        if (!ChannelNames.IsProcessSpecific(channel))
        {
            // Waits in Redis: its cancellation always throws (no consumer listens on a normal channel).
            return ReceiveNormalAsync(channel, cancellationToken)!;
        }

        // The common case, a consumer's channel from NewChannelAsync(), needs no allocation and no key lookup.
        if (channel.StartsWith(_defaultProcessPart, StringComparison.Ordinal))
        {
            return ReceiveLocalAsync(channel, quiet, following, cancellationToken);
        }

        var processPart = ChannelNames.GetProcessPart(channel);
        if (!processPart.EndsWith(_clientSuffix, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Channel '{channel}' belongs to another process (or layer instance): a process receives only on the process-specific channels its own layer created with NewChannelAsync (client prefix {ClientPrefix}).",
                nameof(channel));
        }

        var key = _prefix + processPart;
        if (!_receiver.HasKey(key))
        {
            _receiver.AddKey(key);
        }

        return ReceiveLocalAsync(channel, quiet, following, cancellationToken);
    }

    /// <summary>Routes members popped from a process key, in pop order, into the local buffers of the channels each
    /// names; called by the receive loop. A member that expired unread becomes, for each of its channels, one
    /// <c>expired</c> marker at its place in that channel's stream: consecutive ones merge (in <paramref name="expired"/>,
    /// across the calls of one drain), and the marker goes in before the channel's next live message, or at the end of
    /// the drain (<paramref name="final"/>).</summary>
    internal void DispatchProcessMessages(RedisKey key, List<(byte[] Member, double Score)> batch, ref Dictionary<string, long>? expired, bool final)
    {
        var processPart = ((string)key!)[_prefix.Length..];
        var now = UnixNow();
        var timestamp = _timeProvider.GetTimestamp();
        foreach (var (member, score) in batch)
        {
            RedisMessageCodec.DecodedMessage decoded;
            try
            {
                decoded = _codec.Deserialize(member);
            }
            catch (InvalidDataException ex)
            {
                Log.UndecodableMessage(Logger, processPart, member.Length, ex);
                continue;
            }

            if (decoded.Channel is null && decoded.Channels is null)
            {
                Log.MessageWithoutChannel(Logger, processPart, decoded.Message.Type);
                continue;
            }

            var remaining = _expirySeconds - (now - score);
            var message = decoded.Message;
            message.MakeReadOnly();
            var expiresAt = timestamp + (long)(remaining * _timeProvider.TimestampFrequency);
            foreach (var channel in decoded.Channels ?? [decoded.Channel!])
            {
                if (!channel.StartsWith(processPart, StringComparison.Ordinal))
                {
                    // Only channels of the key the message came from: a foreign name is never delivered here.
                    Log.MessageForAnotherProcess(Logger, channel, processPart);
                }
                else if (remaining <= 0)
                {
                    expired ??= new Dictionary<string, long>(StringComparer.Ordinal);
                    expired[channel] = expired.GetValueOrDefault(channel) + 1;
                }
                else
                {
                    if (expired is not null && expired.Remove(channel, out var lost))
                    {
                        DeliverExpiredMarker(channel, lost, expiresAt);
                    }

                    DeliverLocal(channel, message, expiresAt);
                }
            }
        }

        if (final && expired is not null)
        {
            foreach (var (channel, lost) in expired)
            {
                DeliverExpiredMarker(channel, lost, timestamp + _expiryTicks);
            }

            expired = null;
        }
    }

    /// <summary>Logs a receive-loop failure: a Warning at most once per interval, Debug otherwise.</summary>
    internal void OnReceiveLoopFailed(string host, TimeSpan retryIn, Exception exception)
    {
        if (_loopWarnings.TryEnter())
        {
            Log.ReceiveLoopFailed(Logger, host, retryIn, exception);
        }
        else
        {
            Log.ReceiveLoopFailedRepeated(Logger, host, retryIn, exception.Message);
        }
    }

    private void DeliverLocal(string channel, LayerMessage message, long expiresAt)
    {
        if (_local.Deliver(channel, message, expiresAt))
        {
            _metrics.Received();
            return;
        }

        // Over the channel's byte budget: its consumer reads slower than messages arrive, and finds a marker here.
        _metrics.Dropped(1, DroppedMessages.Budget);
        if (_budgetWarnings.TryEnter())
        {
            Log.BudgetDroppedWarning(Logger, message.Type, channel, _options.SpecificChannelMaxBytes, _options.Expiry);
        }
        else
        {
            Log.BudgetDropped(Logger, message.Type, channel);
        }
    }

    private void DeliverExpiredMarker(string channel, long lost, long expiresAt)
    {
        _metrics.Dropped(lost, DroppedMessages.Expired);
        Log.MessagesExpired(Logger, lost, channel);
        _local.Deliver(channel, DroppedMessages.Create(lost, DroppedMessages.Expired), expiresAt);
    }

    private async ValueTask<LayerMessage?> ReceiveLocalAsync(string channel, bool quiet, List<LayerMessage>? following, CancellationToken cancellationToken)
    {
        _receiver.Acquire();
        try
        {
            return await _local.ReceiveAsync(channel, quiet, following, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _receiver.Release();
        }
    }

    private async ValueTask<LayerMessage> ReceiveNormalAsync(string channel, CancellationToken cancellationToken)
    {
        RedisKey[] keys = [ChannelKey(channel)];

        // With several hosts, normal channels are spread over all of them (senders take turns): wait on each in turn.
        var blockSeconds = _shards.Length == 1 ? (int?)null : 1;
        var start = (int)((uint)Interlocked.Increment(ref _receiveIndex) % (uint)_shards.Length);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        for (var attempt = 0; ; attempt++)
        {
            var shard = _shards[(start + attempt) % _shards.Length];
            RedisBlockingConnection connection;
            try
            {
                connection = await shard.RentBlockingAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(RedisChannelLayer), "The channel layer was disposed while this receive waited.");
            }

            RedisBlockingConnection.PoppedMember? popped;
            try
            {
                popped = await connection.PopAsync(keys, linked.Token, blockSeconds).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                if (RedisShard.IsRedisFailure(ex))
                {
                    throw shard.Failure($"receive on channel '{channel}'", ex);
                }

                throw;
            }

            shard.Return(connection);
            if (popped is not { } hit)
            {
                if (_disposing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw new ObjectDisposedException(nameof(RedisChannelLayer), "The channel layer was disposed while this receive waited.");
                }

                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            if (_expirySeconds - (UnixNow() - hit.Score) <= 0)
            {
                OnRedisExpired(channel, 1); // a named channel's reader is not told, as in Channels
                continue;
            }

            try
            {
                var message = _codec.Deserialize(hit.Member).Message;
                message.MakeReadOnly();
                _metrics.Received();
                return message;
            }
            catch (InvalidDataException ex)
            {
                Log.UndecodableMessage(Logger, keys[0].ToString(), hit.Member.Length, ex);
            }
        }
    }
}
