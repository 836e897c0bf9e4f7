using System.Diagnostics;
using StackExchange.Redis;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis;

public sealed partial class RedisChannelLayer
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>One atomic script on one host: trims the channel key's expired messages, checks its capacity, adds the
    /// message scored with the current Unix time and refreshes the key's TTL to <see cref="ChannelLayerOptions.Expiry"/>
    /// (channels_redis' <c>send</c>, without its overshoot under concurrent senders). A process-specific name
    /// (<c>specific.abc!def</c>) is written to its process's key with the full name in <c>__asgi_channel__</c>, on
    /// the host its process part hashes to: where that process, Switchboard or Django, listens (channels_redis 4.0
    /// hashes the full name here and loses such messages when sharded). Normal channels go to the hosts in turn.</para>
    /// <para>The capacity of a process-specific channel is that of its process's Redis key, which the process's receive
    /// loop drains continuously; <see cref="ChannelFullException"/> means the process is gone or far behind.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The name is invalid, or the message carries the reserved key <c>__asgi_channel__</c>.</exception>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable or did not answer within the operation timeout.</exception>
    public ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return SwitchboardActivities.RunLayerCall(
            SwitchboardActivities.LayerSend, ActivityKind.Producer, "send", LayerName, channel, message,
            (Layer: this, Channel: channel, Message: message, Token: cancellationToken),
            static s => s.Layer.SendMessageAsync(s.Channel, s.Message, s.Token));
    }

    /// <summary>Serializes (with the trace context when the current span is sampled) and stores a validated message.</summary>
    private ValueTask SendMessageAsync(string channel, LayerMessage message, CancellationToken cancellationToken)
    {
        message = SwitchboardActivities.WithTraceContext(message, _options.PropagateTraceContext);
        message.MakeReadOnly();
        var started = _metrics.StartOperation();
        var specific = ChannelNames.IsProcessSpecific(channel);
        var member = _codec.Serialize(message, specific ? channel : null);
        var shard = specific
            ? ShardFor(ChannelNames.GetProcessPart(channel))
            : _shards[(int)((uint)Interlocked.Increment(ref _sendIndex) % (uint)_shards.Length)];
        return _metrics.EndOperationAsync(started, ChannelLayerMetrics.SendOperation, SendCoreAsync(shard, channel, member, cancellationToken));
    }

    private async ValueTask SendCoreAsync(RedisShard shard, string channel, byte[] member, CancellationToken cancellationToken)
    {
        var now = NextScore();
        var capacity = GetCapacity(channel);
        var key = ChannelKey(channel);
        if (ChannelNames.IsProcessSpecific(channel))
        {
            var stored = await shard.RunAsync(
                $"send to channel '{channel}'",
                new SendState(key, member, now, capacity, _options.SpecificChannelMaxBytes, SpecificKeyTtlSeconds),
                static (database, s) => database.ScriptEvaluateAsync(RedisScripts.SendSpecific, [s.Key], [s.Member, s.Score, s.Capacity, s.Limit, s.Ttl]),
                cancellationToken).ConfigureAwait(false);
            if ((long)stored != 1)
            {
                _metrics.Refused();
                throw ChannelFullException.ForSpecificChannel(channel, capacity, _options.SpecificChannelMaxBytes);
            }
        }
        else
        {
            var result = await shard.RunAsync(
                $"send to channel '{channel}'",
                new SendState(key, member, now, capacity, now - _expirySeconds, ExpirySecondsForTtl),
                static (database, s) => database.ScriptEvaluateAsync(RedisScripts.Send, [s.Key], [s.Member, s.Score, s.Limit, s.Capacity, s.Ttl]),
                cancellationToken).ConfigureAwait(false);
            var parts = (RedisResult[])result!;
            OnRedisExpired(channel, (long)parts[1]);
            if ((long)parts[0] != 1)
            {
                _metrics.Refused();
                throw new ChannelFullException(channel, capacity);
            }
        }

        _metrics.Sent(1);
    }

    /// <summary>Counts messages a named channel's key lost to expiry (trimmed by a send, or popped too late).</summary>
    private void OnRedisExpired(string channel, long count)
    {
        if (count > 0)
        {
            _metrics.Dropped(count, DroppedMessages.Expired);
            Log.MessagesExpired(Logger, count, channel);
        }
    }

    /// <summary>A send's script arguments; <see cref="Limit"/> is the expiry cutoff (named) or the byte budget (process-specific).</summary>
    private readonly record struct SendState(string Key, byte[] Member, double Score, int Capacity, double Limit, int Ttl);
}
