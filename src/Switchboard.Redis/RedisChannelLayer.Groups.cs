using System.Diagnostics;
using StackExchange.Redis;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis;

public sealed partial class RedisChannelLayer
{
    /// <inheritdoc />
    /// <remarks>On the host the group name hashes to: <c>ZADD asgi:group:&lt;group&gt; &lt;now&gt; &lt;channel&gt;</c> and
    /// the group key's TTL set to <see cref="ChannelLayerOptions.GroupExpiry"/>, in one script.</remarks>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable or did not answer within the operation timeout.</exception>
    public ValueTask GroupAddAsync(string group, string channel, CancellationToken cancellationToken = default) =>
        MembershipCallAsync(
            SwitchboardActivities.LayerGroupAdd, "group_add", group, channel, cancellationToken,
            static s => s.Layer.GroupAddCoreAsync(s.Group, s.Channel, s.Token));

    /// <inheritdoc />
    /// <remarks><c>ZREM</c> on the group's host.</remarks>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable or did not answer within the operation timeout.</exception>
    public ValueTask GroupDiscardAsync(string group, string channel, CancellationToken cancellationToken = default) =>
        MembershipCallAsync(
            SwitchboardActivities.LayerGroupDiscard, "group_discard", group, channel, cancellationToken,
            static s => s.Layer.GroupDiscardCoreAsync(s.Group, s.Channel, s.Token));

    /// <summary>Validates a membership change and runs it (in its span while something listens).</summary>
    private ValueTask MembershipCallAsync(
        string activity,
        string operation,
        string group,
        string channel,
        CancellationToken cancellationToken,
        Func<(RedisChannelLayer Layer, string Group, string Channel, CancellationToken Token), ValueTask> call)
    {
        ChannelNames.ThrowIfInvalidGroupName(group);
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var started = _metrics.StartOperation();
        return _metrics.EndOperationAsync(started, operation, SwitchboardActivities.RunLayerCall(
            activity, ActivityKind.Client, operation, LayerName, group, message: null, (Layer: this, Group: group, Channel: channel, Token: cancellationToken), call));
    }

    private ValueTask GroupDiscardCoreAsync(string group, string channel, CancellationToken cancellationToken) =>
        new(ShardFor(group).RunAsync(
            $"remove channel '{channel}' from group '{group}'",
            (Key: GroupKey(group), Channel: channel),
            static (database, s) => database.SortedSetRemoveAsync(s.Key, s.Channel),
            cancellationToken));

    /// <inheritdoc />
    /// <remarks>
    /// <para>channels_redis' group send: the members are read from the group's host (expired memberships dropped
    /// first); members are bucketed by their Redis key, so each receiving process gets one copy listing its local
    /// channels in <c>__asgi_channel__</c>, serialized once per process; then one script per host writes every copy for
    /// that host (a round trip per host, whatever the number of members). A key at its capacity misses the message,
    /// counted in <c>switchboard.layer.dropped.messages</c> (reason <c>capacity</c>) and logged (Warning at most once per expiry interval).</para>
    /// <para>A key that held expired messages has a reader that is gone: its channels leave the group (the rule of
    /// Channels' spec that channels_redis lacks), so group sends stop filling it.</para>
    /// </remarks>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable or did not answer within the operation timeout.</exception>
    public ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidGroupName(group);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        var started = _metrics.StartOperation();
        return _metrics.EndOperationAsync(started, ChannelLayerMetrics.GroupSendOperation, SwitchboardActivities.RunLayerCall(
            SwitchboardActivities.LayerGroupSend, ActivityKind.Producer, "group_send", LayerName, group, message,
            (Layer: this, Group: group, Message: message, Token: cancellationToken),
            static s => s.Layer.GroupSendCoreAsync(s.Group, s.Message, s.Token)));
    }

    private async ValueTask GroupAddCoreAsync(string group, string channel, CancellationToken cancellationToken)
    {
        await ShardFor(group).RunAsync(
            $"add channel '{channel}' to group '{group}'",
            (Key: GroupKey(group), Score: NextScore(), Channel: channel, Ttl: GroupExpirySecondsForTtl),
            static (database, s) => database.ScriptEvaluateAsync(RedisScripts.GroupAdd, [s.Key], [s.Score, s.Channel, s.Ttl]),
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask GroupSendCoreAsync(string group, LayerMessage message, CancellationToken cancellationToken)
    {
        // One context for the whole group, encoded once: every member's handle span continues the group send's span.
        message = SwitchboardActivities.WithTraceContext(message, _options.PropagateTraceContext);
        message.MakeReadOnly();
        if (_groupSendInOneScript)
        {
            await GroupSendOneHostAsync(group, message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var groupShard = ShardFor(group);
        var groupKey = GroupKey(group);
        var now = NextScore();
        var members = (RedisValue[])(await groupShard.RunAsync(
            $"read the members of group '{group}'",
            (Key: groupKey, Cutoff: now - _groupExpirySeconds),
            static (database, s) => database.ScriptEvaluateAsync(RedisScripts.GroupMembers, [s.Key], [s.Cutoff]),
            cancellationToken).ConfigureAwait(false))!;
        _metrics.GroupSent(members.Length);
        if (members.Length == 0)
        {
            SwitchboardActivities.SetGroupMembers(0);
            return;
        }

        // One bucket per destination key (per receiving process, or per normal channel), in member order. The lookup
        // by span finds a process's bucket without cutting a string out of each of its thousand member names.
        var buckets = new Dictionary<string, GroupSendBucket>(StringComparer.Ordinal);
        var byTarget = buckets.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var value in members)
        {
            var channel = (string)value!;
            var bang = channel.IndexOf('!', StringComparison.Ordinal);
            var target = bang < 0 ? channel.AsSpan() : channel.AsSpan(0, bang + 1);
            if (!byTarget.TryGetValue(target, out var bucket))
            {
                var name = target.ToString();
                bucket = new GroupSendBucket(name, _prefix + name, GetCapacity(channel), RedisShardRing.GetIndex(name, _shards.Length));
                buckets.Add(name, bucket);
            }

            bucket.Channels.Add(channel);
        }

        var body = _codec.PrepareGroup(message);
        var byShard = new List<GroupSendBucket>?[_shards.Length];
        foreach (var bucket in buckets.Values)
        {
            bucket.Member = _codec.SerializeForGroup(body, bucket.Channels);
            (byShard[bucket.Shard] ??= []).Add(bucket);
        }

        var writes = new List<Task<RedisResult>>(_shards.Length);
        var written = new List<List<GroupSendBucket>>(_shards.Length);
        for (var i = 0; i < byShard.Length; i++)
        {
            if (byShard[i] is { } shardBuckets)
            {
                writes.Add(WriteGroupCopiesAsync(_shards[i], group, shardBuckets, now, cancellationToken));
                written.Add(shardBuckets);
            }
        }

        var results = await Task.WhenAll(writes).ConfigureAwait(false);
        var sent = 0;
        var dropped = 0;
        string? firstDropped = null;
        List<string>? gone = null;
        for (var i = 0; i < results.Length; i++)
        {
            var statuses = (RedisResult[])results[i]!;
            for (var j = 0; j < statuses.Length; j++)
            {
                var bucket = written[i][j];
                var status = (int)statuses[j];
                if ((status & 1) != 0)
                {
                    dropped += bucket.Channels.Count;
                    firstDropped ??= bucket.Channels[0];
                }
                else
                {
                    sent += bucket.Channels.Count;
                }

                if ((status & 2) != 0)
                {
                    (gone ??= []).AddRange(bucket.Channels);
                }
            }
        }

        _metrics.Sent(sent);
        SwitchboardActivities.SetGroupMembers(sent);
        if (dropped > 0)
        {
            OnGroupSendDropped(group, message, dropped, sent + dropped, firstDropped!);
        }

        if (gone is not null)
        {
            await RemoveGoneMembersAsync(groupShard, group, gone, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One host, no capacity rules, no encryption: the whole group send is one script, one round trip.</summary>
    private async ValueTask GroupSendOneHostAsync(string group, LayerMessage message, CancellationToken cancellationToken)
    {
        var now = NextScore();
        var body = _codec.PrepareGroup(message);
        var (random, header) = _codec.PrepareScriptedGroup(body);
        RedisValue[] arguments =
        [
            now - _groupExpirySeconds, _prefix, random, header, body.Entries, now, now - _expirySeconds,
            ExpirySecondsForTtl, SpecificKeyTtlSeconds, _options.Capacity, int.MaxValue,
        ];
        var result = (RedisResult[])(await _shards[0].RunAsync(
            $"send to group '{group}'",
            (Key: (RedisKey)GroupKey(group), Arguments: arguments),
            static (database, s) => database.ScriptEvaluateAsync(RedisScripts.GroupSendOneHost, [s.Key], s.Arguments),
            cancellationToken).ConfigureAwait(false))!;
        var sent = (int)result[0];
        var dropped = (int)result[1];
        _metrics.Sent(sent);
        _metrics.GroupSent(sent + dropped);
        SwitchboardActivities.SetGroupMembers(sent);
        if (dropped > 0)
        {
            OnGroupSendDropped(group, message, dropped, sent + dropped, (string)result[3]!);
        }

        if ((int)result[2] > 0)
        {
            Log.MembersLeftGroup(Logger, (int)result[2], group, (string)result[4]!);
        }
    }

    private Task<RedisResult> WriteGroupCopiesAsync(RedisShard shard, string group, List<GroupSendBucket> buckets, double now, CancellationToken cancellationToken)
    {
        var keys = new RedisKey[buckets.Count];
        var arguments = new RedisValue[(3 * buckets.Count) + 4];
        for (var i = 0; i < buckets.Count; i++)
        {
            keys[i] = buckets[i].Key;
            arguments[i] = buckets[i].Member;
            arguments[buckets.Count + i] = buckets[i].Capacity;
            arguments[(2 * buckets.Count) + i] = ChannelNames.IsProcessSpecific(buckets[i].Target) ? 0 : 1;
        }

        arguments[^4] = now;
        arguments[^3] = now - _expirySeconds;
        arguments[^2] = ExpirySecondsForTtl;
        arguments[^1] = SpecificKeyTtlSeconds;
        return shard.RunAsync(
            $"send to group '{group}'",
            (Keys: keys, Arguments: arguments),
            static (database, s) => database.ScriptEvaluateAsync(RedisScripts.GroupSend, s.Keys, s.Arguments),
            cancellationToken);
    }

    private async Task RemoveGoneMembersAsync(RedisShard groupShard, string group, List<string> channels, CancellationToken cancellationToken)
    {
        Log.MembersLeftGroup(Logger, channels.Count, group, channels[0]);
        var values = channels.Select(static channel => (RedisValue)channel).ToArray();
        await groupShard.RunAsync(
            $"remove gone members from group '{group}'",
            (Key: GroupKey(group), Values: values),
            static (database, s) => database.SortedSetRemoveAsync(s.Key, s.Values),
            cancellationToken).ConfigureAwait(false);
    }

    private void OnGroupSendDropped(string group, LayerMessage message, int dropped, int members, string channel)
    {
        _metrics.Dropped(dropped, ChannelLayerMetrics.CapacityReason);

        // One warning per expiry interval: a dead process's key stays full until its messages expire.
        if (_dropWarnings.TryEnter())
        {
            Log.GroupSendDroppedWarning(Logger, group, message.Type, dropped, members, channel, _options.Expiry);
        }
        else
        {
            Log.GroupSendDropped(Logger, group, message.Type, dropped, members, channel);
        }
    }

    /// <summary>The members of a group that share one destination key, and the one copy written for them.</summary>
    private sealed class GroupSendBucket(string target, string key, int capacity, int shard)
    {
        public string Target { get; } = target;

        public string Key { get; } = key;

        public int Capacity { get; } = capacity;

        public int Shard { get; } = shard;

        public List<string> Channels { get; } = [];

        public byte[] Member { get; set; } = [];
    }
}
