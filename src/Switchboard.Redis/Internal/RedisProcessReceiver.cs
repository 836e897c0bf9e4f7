using System.Diagnostics;
using StackExchange.Redis;

namespace Switchboard.Redis.Internal;

/// <summary>
/// The process's receive loop (wire spec §10): on every host, one blocking pop at a time on this process's keys
/// (<c>asgispecific.&lt;client prefix&gt;!</c>, one per channel prefix in use), on a dedicated connection, handing each
/// message to the layer, which demultiplexes it into the local buffers. It runs while at least one local receive is in
/// progress and stops after the last one (at the end of the pop in hand), and after an error it retries with backoff
/// until Redis is back.
/// </summary>
/// <remarks>Listening on every host, not only on the one the key hashes to, also catches what channels_redis 4.0's
/// <c>send()</c> misroutes when sharded (it hashes the full channel name).</remarks>
internal sealed class RedisProcessReceiver : IAsyncDisposable
{
    private const int DrainBatch = 256;
    private const int DispatchBatch = 4096;
    private static readonly TimeSpan s_initialBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_linger = TimeSpan.FromSeconds(2);

    private readonly RedisChannelLayer _layer;
    private readonly RedisShard[] _shards;
    private readonly Lock _lock = new();
    private readonly HostLoop[] _loops;
    private readonly CancellationTokenSource _stopping = new();
    private RedisKey[] _keys = [];
    private int _active;
    private long _idleSince;
    private bool _disposed;

    public RedisProcessReceiver(RedisChannelLayer layer, RedisShard[] shards)
    {
        _layer = layer;
        _shards = shards;
        _loops = [.. shards.Select(static shard => new HostLoop(shard))];
    }

    /// <summary>Gets how many loops run now, for tests.</summary>
    public int RunningLoops
    {
        get
        {
            lock (_lock)
            {
                return _loops.Count(static loop => loop.Task is not null);
            }
        }
    }

    /// <summary>Describes the loops that are failing now (Redis lost, retrying), or returns <see langword="null"/> when
    /// every running loop's last pop succeeded; a loop that is not running (no local receive waits) is not failing.</summary>
    public string? DescribeFailures()
    {
        List<string>? failing = null;
        lock (_lock)
        {
            foreach (var loop in _loops)
            {
                if (loop.Task is not null && loop.Failures > 0)
                {
                    (failing ??= []).Add($"the receive loop on {loop.Shard.Host.DisplayName} has failed {loop.Failures} times in a row ({loop.LastError})");
                }
            }
        }

        return failing is null ? null : string.Join("; ", failing);
    }

    /// <summary>Adds a process key (a new channel prefix) to the pops; running pops restart with it.</summary>
    public void AddKey(string key)
    {
        lock (_lock)
        {
            if (_keys.Any(existing => existing == key))
            {
                return;
            }

            _keys = [.. _keys, key];
            foreach (var loop in _loops)
            {
                loop.Wake();
            }
        }
    }

    /// <summary>Tells whether the key is popped already (no lock: the array is replaced, never changed).</summary>
    public bool HasKey(string key)
    {
        foreach (var existing in Volatile.Read(ref _keys))
        {
            if (existing == key)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A local receive starts: starts the loops that are not running.</summary>
    public void Acquire()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _active++;
            foreach (var loop in _loops)
            {
                loop.Task ??= RunAsync(loop);
            }
        }
    }

    /// <summary>A local receive ended; when it was the last, the loops stop after <see cref="s_linger"/> without receives.</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (--_active == 0)
            {
                _idleSince = Stopwatch.GetTimestamp();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] running;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            running = [.. _loops.Select(static loop => loop.Task).OfType<Task>()];
            foreach (var loop in _loops)
            {
                loop.Wake();
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task RunAsync(HostLoop loop)
    {
        // Off the caller's stack: Acquire runs under the lock, inside a receive.
        await Task.Yield();
        RedisChannelLayer.Log.ReceiveLoopStarted(_layer.Logger, loop.Shard.Host.DisplayName);
        RedisBlockingConnection? connection = null;
        var backoff = s_initialBackoff;
        var failures = 0;
        try
        {
            while (true)
            {
                RedisKey[] keys;
                CancellationToken wake;
                lock (_lock)
                {
                    if (_disposed || _keys.Length == 0 || (_active == 0 && Stopwatch.GetElapsedTime(_idleSince) >= s_linger))
                    {
                        loop.Task = null;
                        break;
                    }

                    keys = _keys;
                    wake = loop.WakeToken();
                }

                try
                {
                    connection ??= await loop.Shard.RentBlockingAsync(_stopping.Token).ConfigureAwait(false);
                    var popped = await connection.PopAsync(keys, wake).ConfigureAwait(false);
                    if (popped is { } first)
                    {
                        await DrainAsync(connection, first).ConfigureAwait(false);
                    }

                    if (failures > 0)
                    {
                        RedisChannelLayer.Log.ReceiveLoopRecovered(_layer.Logger, loop.Shard.Host.DisplayName, failures);
                        failures = 0;
                        loop.Failures = 0;
                        backoff = s_initialBackoff;
                    }
                }
                catch (Exception ex) when (!_stopping.IsCancellationRequested)
                {
                    // Redis went away (or the connection broke): keep the connection, which reconnects by itself, and
                    // retry with a growing delay so a down server is not hammered.
                    failures++;
                    loop.Failures = failures;
                    loop.LastError = ex.Message;
                    _layer.OnReceiveLoopFailed(loop.Shard.Host.DisplayName, backoff, ex);
                    await Task.Delay(backoff, _stopping.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
                }
                catch (Exception) when (_stopping.IsCancellationRequested)
                {
                    break;
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                loop.Shard.Return(connection);
            }

            RedisChannelLayer.Log.ReceiveLoopStopped(_layer.Logger, loop.Shard.Host.DisplayName);
        }
    }

    /// <summary>Hands the popped member to the layer at once, then takes what else a burst left on the key, up to
    /// <see cref="DrainBatch"/> members per round trip without blocking, and hands them over in pop order, up to
    /// <see cref="DispatchBatch"/> at a time. Expired members of the whole drain merge into one marker per channel.</summary>
    private async Task DrainAsync(RedisBlockingConnection connection, RedisBlockingConnection.PoppedMember first)
    {
        Dictionary<string, long>? expired = null;
        var batch = new List<(byte[] Member, double Score)> { (first.Member, first.Score) };
        _layer.DispatchProcessMessages(first.Key, batch, ref expired, final: false);
        batch.Clear();
        var more = true;
        while (more && !_stopping.IsCancellationRequested)
        {
            var entries = await connection.PopManyAsync(first.Key, DrainBatch).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                batch.Add(((byte[])entry.Element!, entry.Score));
            }

            more = entries.Length == DrainBatch;
            if (!more || batch.Count >= DispatchBatch)
            {
                _layer.DispatchProcessMessages(first.Key, batch, ref expired, final: !more);
                batch.Clear();
            }
        }

        if (expired is not null)
        {
            _layer.DispatchProcessMessages(first.Key, batch, ref expired, final: true);
        }
    }

    /// <summary>The loop of one host, and the token that wakes its pop when the keys change or the layer stops.</summary>
    private sealed class HostLoop(RedisShard shard)
    {
        private CancellationTokenSource _wake = new();

        public RedisShard Shard { get; } = shard;

        /// <summary>Gets or sets the running loop; guarded by the receiver's lock.</summary>
        public Task? Task { get; set; }

        /// <summary>Gets or sets the failed pops since the last good one, for the health check (written by the loop only).</summary>
        public int Failures { get; set; }

        /// <summary>Gets or sets the last failure's message.</summary>
        public string? LastError { get; set; }

        /// <summary>Returns the token for the next pop; a fresh one after a wake. Called under the receiver's lock.</summary>
        public CancellationToken WakeToken()
        {
            if (_wake.IsCancellationRequested)
            {
                _wake.Dispose();
                _wake = new CancellationTokenSource();
            }

            return _wake.Token;
        }

        /// <summary>Wakes the pop in progress; called under the receiver's lock.</summary>
        public void Wake() => _wake.Cancel();
    }
}
