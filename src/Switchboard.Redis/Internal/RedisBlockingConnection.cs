using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// A dedicated connection for blocking pops (<c>BZPOPMIN</c>): one pop at a time, woken early with <c>CLIENT UNBLOCK</c>
/// from the shard's shared connection when the pop is cancelled, so a cancelled receive returns at once and a message
/// popped in the same instant is still returned, never lost.
/// </summary>
internal sealed class RedisBlockingConnection : IAsyncDisposable
{
    private const int UnblockAttempts = 40;
    private static readonly TimeSpan s_unblockRetryDelay = TimeSpan.FromMilliseconds(25);

    private readonly RedisShard _shard;
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly IDatabase _database;
    private readonly int _blockSeconds;
    private readonly TimeSpan _timeout;

    private RedisBlockingConnection(RedisShard shard, ConnectionMultiplexer multiplexer, int blockSeconds, TimeSpan timeout)
    {
        _shard = shard;
        _multiplexer = multiplexer;
        _database = multiplexer.GetDatabase();
        _blockSeconds = blockSeconds;
        _timeout = timeout;
    }

    /// <summary>Opens a dedicated connection whose command timeout covers a whole blocking pop; connecting itself fails
    /// within <paramref name="timeout"/>.</summary>
    public static async Task<RedisBlockingConnection> ConnectAsync(RedisShard shard, TimeSpan timeout, TimeSpan blockTimeout, string clientName, CancellationToken cancellationToken)
    {
        var blockSeconds = Math.Max(1, (int)Math.Ceiling(blockTimeout.TotalSeconds));
        var configuration = shard.Host.ToConfiguration(timeout + TimeSpan.FromSeconds(blockSeconds), clientName);
        configuration.ConnectTimeout = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        var connecting = ConnectionMultiplexer.ConnectAsync(configuration);
        try
        {
            return new RedisBlockingConnection(shard, await connecting.WaitAsync(timeout, cancellationToken).ConfigureAwait(false), blockSeconds, timeout);
        }
        catch
        {
            // Given up on: close the connection once it is made, so it does not retry in the background forever.
            _ = connecting.ContinueWith(
                static task =>
                {
                    if (task.IsCompletedSuccessfully)
                    {
                        task.Result.Dispose();
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Pops the oldest member of the first non-empty key, waiting up to the block timeout (or
    /// <paramref name="blockSeconds"/>). Returns <see langword="null"/> when nothing arrived, or when the pop was
    /// cancelled before anything arrived; a member popped as the cancellation came is returned.</summary>
    public async Task<PoppedMember?> PopAsync(RedisKey[] keys, CancellationToken cancellationToken, int? blockSeconds = null)
    {
        var arguments = new object[keys.Length + 1];
        for (var i = 0; i < keys.Length; i++)
        {
            arguments[i] = keys[i];
        }

        arguments[^1] = blockSeconds ?? _blockSeconds;

        // CLIENT ID rides in front of the pop on the same connection: it names the connection that runs the pop, even
        // after a reconnect, so a cancellation can unblock exactly that pop.
        var id = _database.ExecuteAsync("CLIENT", "ID");
        var pop = _database.ExecuteAsync("BZPOPMIN", arguments);
        long clientId;
        try
        {
            // A connection that cannot answer CLIENT ID within the operation timeout is down: fail now, not after the pop's timeout.
            clientId = (long)await id.WaitAsync(_timeout).ConfigureAwait(false);
        }
        catch
        {
            _ = pop.ContinueWith(static task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }

        RedisResult result;
        using (cancellationToken.UnsafeRegister(static (state, _) => ((PendingPop)state!).Unblock(), new PendingPop(_shard, clientId, pop)))
        {
            result = await pop.ConfigureAwait(false);
        }

        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        return new PoppedMember((RedisKey)parts[0], (byte[])parts[1]!, (double)parts[2]);
    }

    /// <summary>Pops up to <paramref name="count"/> more members of one key without waiting (draining a burst).</summary>
    public Task<SortedSetEntry[]> PopManyAsync(RedisKey key, int count) => _database.SortedSetPopAsync(key, count);

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync().ConfigureAwait(false);

    /// <summary>One member taken by a pop, with the key it came from and its score (the sender's Unix time).</summary>
    internal readonly record struct PoppedMember(RedisKey Key, byte[] Member, double Score);

    private sealed class PendingPop(RedisShard shard, long clientId, Task pop)
    {
        public void Unblock() => _ = UnblockAsync();

        private async Task UnblockAsync()
        {
            // The unblock travels on another connection and may reach Redis before the pop itself: retry until the pop
            // was unblocked or has finished, a bounded number of times.
            for (var attempt = 0; attempt < UnblockAttempts && !pop.IsCompleted; attempt++)
            {
                if (await shard.UnblockAsync(clientId).ConfigureAwait(false) || pop.IsCompleted)
                {
                    return;
                }

                await Task.Delay(s_unblockRetryDelay).ConfigureAwait(false);
            }
        }
    }
}
