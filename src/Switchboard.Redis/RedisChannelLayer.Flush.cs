using System.Diagnostics;

namespace Switchboard.Redis;

public sealed partial class RedisChannelLayer
{
    /// <inheritdoc />
    /// <remarks>Deletes, on every host, every key that starts with <see cref="RedisChannelLayerOptions.Prefix"/>: the
    /// channels, groups and in-flight backups of every process using this prefix, Django ones included (channels_redis'
    /// <c>flush</c>). Keys are found with <c>SCAN</c>, not the blocking <c>KEYS</c> that channels_redis uses. Never flush
    /// a prefix another application shares. Local buffers are emptied too.</remarks>
    /// <exception cref="RedisChannelLayerException">Redis is unreachable or did not answer within the operation timeout.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var activity = SwitchboardActivities.StartLayerCall(
            SwitchboardActivities.LayerFlush, ActivityKind.Client, "flush", LayerName, destination: null, message: null);
        foreach (var shard in _shards)
        {
            await shard.DeleteKeysAsync(_prefix, cancellationToken).ConfigureAwait(false);
        }

        _local.Clear();
    }
}
