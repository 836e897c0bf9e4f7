using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// One host of the shard ring: a shared, multiplexed connection for every short command (sends, group operations,
/// <c>CLIENT UNBLOCK</c>), connected on first use, plus a pool of dedicated connections for blocking pops (a blocking
/// command would stall every command behind it on a multiplexed connection).
/// </summary>
internal sealed class RedisShard : IAsyncDisposable
{
    private const int MaxIdleBlockingConnections = 8;

    private readonly TimeSpan _timeout;
    private readonly TimeSpan _blockTimeout;
    private readonly string _clientName;
    private readonly ILogger _logger;
    private readonly ConcurrentBag<RedisBlockingConnection> _idle = [];
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private ConnectionMultiplexer? _multiplexer;
    private volatile bool _disposed;

    public RedisShard(RedisHost host, int index, TimeSpan timeout, TimeSpan blockTimeout, string clientName, ILogger logger)
    {
        Host = host;
        Index = index;
        _timeout = timeout;
        _blockTimeout = blockTimeout;
        _clientName = clientName;
        _logger = logger;
    }

    public RedisHost Host { get; }

    public int Index { get; }

    /// <summary>Runs one operation on the shared connection, failing within the operation timeout with a
    /// <see cref="RedisChannelLayerException"/> that names the host and the operation.</summary>
    public async Task<T> RunAsync<T, TState>(string operation, TState state, Func<IDatabase, TState, Task<T>> command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // One deadline for connecting (the first time) and the command together.
            var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var remaining = _timeout - Stopwatch.GetElapsedTime(started);
            return await command(database, state).WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Failure(operation, ex);
        }
    }

    /// <summary>Sends <c>PING</c> on the shared connection (connecting first if needed), failing after
    /// <paramref name="timeout"/> with a <see cref="RedisChannelLayerException"/> that names the host.</summary>
    public async Task<TimeSpan> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var database = await GetDatabaseAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            var remaining = timeout - Stopwatch.GetElapsedTime(started);
            return await database.PingAsync().WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Failure("answer PING", ex);
        }
    }

    /// <summary>Takes an idle dedicated connection for blocking pops, or opens one.</summary>
    public async Task<RedisBlockingConnection> RentBlockingAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            return connection;
        }

        try
        {
            return await RedisBlockingConnection.ConnectAsync(this, _timeout, _blockTimeout, _clientName + ".blocking", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Failure("open a connection for receiving", ex);
        }
    }

    /// <summary>Gives a dedicated connection back after a pop that ended normally; a failed one is disposed instead.</summary>
    public void Return(RedisBlockingConnection connection)
    {
        if (_disposed || _idle.Count >= MaxIdleBlockingConnections)
        {
            _ = connection.DisposeAsync().AsTask();
            return;
        }

        _idle.Add(connection);
    }

    /// <summary>Wakes a blocking pop of one of our dedicated connections (<c>CLIENT UNBLOCK</c>); it returns as if it
    /// had timed out, so whatever it popped before is still returned. Best effort: errors are logged at Debug.</summary>
    public async Task<bool> UnblockAsync(long clientId)
    {
        try
        {
            var database = await GetDatabaseAsync(CancellationToken.None).ConfigureAwait(false);
            var result = await database.ExecuteAsync("CLIENT", "UNBLOCK", clientId).WaitAsync(_timeout).ConfigureAwait(false);
            return (long)result == 1;
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is ObjectDisposedException)
        {
            RedisChannelLayer.Log.UnblockFailed(_logger, clientId, Host.DisplayName, ex);
            return false;
        }
    }

    /// <summary>Deletes every key starting with <paramref name="prefix"/> (flush), found with <c>SCAN</c> and deleted in
    /// batches, so Redis never blocks on a <c>KEYS</c>.</summary>
    public async Task DeleteKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        const int Batch = 500;
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            var database = await GetDatabaseAsync(cancellationToken).ConfigureAwait(false);
            var server = _multiplexer!.GetServers()[0];
            var keys = new List<RedisKey>(Batch);
            await foreach (var key in server.KeysAsync(Host.Database, prefix + "*", Batch).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key);
                if (keys.Count == Batch)
                {
                    await database.KeyDeleteAsync([.. keys]).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
                    keys.Clear();
                }
            }

            if (keys.Count > 0)
            {
                await database.KeyDeleteAsync([.. keys]).WaitAsync(_timeout, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            throw Failure("flush the layer's keys", ex);
        }
    }

    /// <summary>Translates a Redis client error into the layer's exception.</summary>
    public RedisChannelLayerException Failure(string operation, Exception exception) => new(
        exception is TimeoutException or RedisTimeoutException
            ? $"The Redis channel layer could not {operation} on {Host.DisplayName}: no answer within {_timeout} (OperationTimeout). Check that Redis is running and reachable; the layer reconnects by itself."
            // The client's own text comes last, so that its punctuation (or lack of it) ends the message.
            : $"The Redis channel layer could not {operation} on {Host.DisplayName}. Check that Redis is running and reachable; the layer reconnects by itself. The Redis client said: {exception.Message}",
        Host.DisplayName,
        exception);

    public static bool IsRedisFailure(Exception exception) => exception is RedisException or TimeoutException;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }

        _connectLock.Dispose();
    }

    private async ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _multiplexer) is { } connected)
        {
            return connected.GetDatabase();
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_multiplexer is null)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);

                // AbortOnConnectFail is off: with Redis down this still returns, reconnects in the background, and each
                // operation fails within its timeout until Redis is back.
                var multiplexer = await ConnectionMultiplexer.ConnectAsync(Host.ToConfiguration(_timeout, _clientName)).ConfigureAwait(false);
                Volatile.Write(ref _multiplexer, multiplexer);
            }

            return _multiplexer.GetDatabase();
        }
        finally
        {
            _connectLock.Release();
        }
    }
}
