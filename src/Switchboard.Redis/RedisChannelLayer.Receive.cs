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
    /// <para>Messages older than <see cref="RedisChannelLayerOptions.Expiry"/> are discarded, never delivered; a stored
    /// message that cannot be decoded (another serializer, wrong keys) is logged as an error and skipped.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The name is invalid, or is a process-specific name of another process.</exception>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable (normal channels; process-specific receives keep
    /// waiting while the loop reconnects).</exception>
    /// <exception cref="ObjectDisposedException">The layer is disposed, also while waiting.</exception>
    public ValueTask<LayerMessage> ReceiveAsync(string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<LayerMessage>(cancellationToken);
        }

        if (!ChannelNames.IsProcessSpecific(channel))
        {
            return ReceiveNormalAsync(channel, cancellationToken);
        }

        var processPart = ChannelNames.GetProcessPart(channel);
        if (!processPart.EndsWith(ClientPrefix + "!", StringComparison.Ordinal))
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

        return ReceiveLocalAsync(channel, cancellationToken);
    }

    /// <summary>Routes one member popped from a process key into the local buffers of the channels it names; called
    /// by the receive loop.</summary>
    internal void DispatchProcessMessage(RedisKey key, byte[] member, double score)
    {
        RedisMessageCodec.DecodedMessage decoded;
        try
        {
            decoded = _codec.Deserialize(member);
        }
        catch (InvalidDataException ex)
        {
            Log.UndecodableMessage(Logger, key.ToString(), member.Length, ex);
            return;
        }

        var processPart = ((string)key!)[_prefix.Length..];
        var remaining = _expirySeconds - (UnixNow() - score);
        if (remaining <= 0)
        {
            OnRedisExpired(decoded.Channel ?? processPart, 1);
            return;
        }

        var message = decoded.Message;
        message.MakeReadOnly();
        var expiresAt = _timeProvider.GetTimestamp() + (long)(remaining * _timeProvider.TimestampFrequency);
        if (decoded.Channel is { } single)
        {
            DeliverLocal(processPart, single, message, expiresAt);
        }
        else if (decoded.Channels is { } several)
        {
            foreach (var channel in several)
            {
                DeliverLocal(processPart, channel, message, expiresAt);
            }
        }
        else
        {
            Log.MessageWithoutChannel(Logger, key.ToString(), message.Type);
        }
    }

    /// <summary>Logs a receive-loop failure: a Warning at most once per interval, Debug otherwise.</summary>
    internal void OnReceiveLoopFailed(string host, TimeSpan retryIn, Exception exception)
    {
        var now = _timeProvider.GetTimestamp();
        var next = Volatile.Read(ref _nextLoopWarning);
        if (now >= next && Interlocked.CompareExchange(ref _nextLoopWarning, now + (long)(30 * _timeProvider.TimestampFrequency), next) == next)
        {
            Log.ReceiveLoopFailed(Logger, host, retryIn, exception);
        }
        else
        {
            Log.ReceiveLoopFailedRepeated(Logger, host, retryIn, exception.Message);
        }
    }

    private void DeliverLocal(string processPart, string channel, LayerMessage message, long expiresAt)
    {
        // Only channels of the key the message came from: a foreign name in __asgi_channel__ is never delivered here.
        if (!channel.StartsWith(processPart, StringComparison.Ordinal) || !ChannelNames.IsValidChannelName(channel))
        {
            Log.MessageForAnotherProcess(Logger, channel, processPart);
            return;
        }

        _metrics.MessagesReceived.Add(1);
        _local.Deliver(channel, message, expiresAt);
    }

    private async ValueTask<LayerMessage> ReceiveLocalAsync(string channel, CancellationToken cancellationToken)
    {
        _receiver.Acquire();
        try
        {
            return await _local.ReceiveAsync(channel, cancellationToken).ConfigureAwait(false);
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
                OnRedisExpired(channel, 1);
                continue;
            }

            try
            {
                var message = _codec.Deserialize(hit.Member).Message;
                message.MakeReadOnly();
                _metrics.MessagesReceived.Add(1);
                return message;
            }
            catch (InvalidDataException ex)
            {
                Log.UndecodableMessage(Logger, keys[0].ToString(), hit.Member.Length, ex);
            }
        }
    }
}
