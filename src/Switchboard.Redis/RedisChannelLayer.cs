using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Internal;
using Switchboard.Redis.Internal;

namespace Switchboard.Redis;

/// <summary>
/// The channel layer shared by many processes and machines through Redis (channels_redis' <c>RedisChannelLayer</c>),
/// wire-compatible with channels_redis 4: a Switchboard process and a Django Channels process configured with the same
/// hosts and prefix share channels and groups.
/// </summary>
/// <remarks>
/// <para>Storage (wire spec §3–§5): every channel and group is a Redis sorted set scored by Unix time. A normal channel
/// <c>thumbnails</c> is the key <c>asgithumbnails</c>; all process-specific channels of one process
/// (<c>specific.&lt;32 hex&gt;!&lt;local&gt;</c>) share the key <c>asgispecific.&lt;32 hex&gt;!</c>; a group is
/// <c>asgi:group:&lt;name&gt;</c>. Members are 12 random bytes and a msgpack map (optionally Fernet-encrypted).</para>
/// <para>Delivery: a group send writes one copy per receiving process, not one per member, with one script per Redis
/// host. Each process runs one receive loop that pops its own key and demultiplexes messages into per-channel local
/// buffers; normal channels are popped directly (<c>BZPOPMIN</c>, no in-flight backup), so several worker processes
/// never receive the same message twice. Messages are delivered at most once: a message popped by a process that then
/// dies is lost, never redelivered.</para>
/// <para>Failures: every operation fails within <see cref="RedisChannelLayerOptions.OperationTimeout"/> with a
/// <see cref="RedisChannelLayerException"/> while Redis is unreachable; the receive loop retries with backoff and
/// resumes when Redis is back.</para>
/// </remarks>
public sealed partial class RedisChannelLayer : IChannelLayer, IQuietReceive, IAsyncDisposable, IDisposable
{
    /// <summary>The longest prefix <see cref="NewChannelAsync"/> accepts, so that names stay under <see cref="ChannelNames.MaxLength"/>.</summary>
    public const int MaxPrefixLength = ChannelNames.MaxLength - 1 - 1 - 32 - 1 - 32;

    // The value of the switchboard.layer tag on this layer's spans.
    private const string LayerName = "redis";

    // A pop blocks at most this long before it is reissued (channels_redis uses 5 s): it bounds how long a loop lingers
    // after its last receiver, and keeps idle connections visibly alive.
    private static readonly TimeSpan s_blockTimeout = TimeSpan.FromSeconds(5);

    // A receive loop that keeps failing (Redis down) warns at most every 30 s while it retries.
    private static readonly TimeSpan s_loopWarningInterval = TimeSpan.FromSeconds(30);

    private readonly RedisShard[] _shards;
    private readonly RedisMessageCodec _codec;
    private readonly RedisLocalChannels _local;
    private readonly RedisProcessReceiver _receiver;
    private readonly ChannelLayerMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly RedisChannelLayerOptions _options = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly string _prefix;
    private readonly string _clientSuffix;
    private readonly string _defaultProcessPart;
    private readonly bool _groupSendInOneScript;
    private readonly double _expirySeconds;
    private readonly double _groupExpirySeconds;
    private readonly long _expiryTicks;
    private int _sendIndex = -1;
    private int _receiveIndex = -1;
    private double _lastScore;

    // Warnings at most once per interval, Debug otherwise: a dead reader's key stays full send after send.
    private readonly LogThrottle _dropWarnings;
    private readonly LogThrottle _budgetWarnings;
    private readonly LogThrottle _loopWarnings;
    private volatile bool _disposed;

    /// <summary>Creates a layer without dependency injection, for tests and embedding. No connection is opened until
    /// the first operation.</summary>
    /// <param name="options">The settings; read once (copied).</param>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public RedisChannelLayer(RedisChannelLayerOptions options)
        : this(options, TimeProvider.System, NullLogger<RedisChannelLayer>.Instance, meterFactory: null)
    {
    }

    /// <summary>Creates a layer with logging and metrics; <c>AddRedisChannelLayer</c> uses this constructor. No
    /// connection is opened until the first operation.</summary>
    /// <param name="options">The settings; read once (copied).</param>
    /// <param name="timeProvider">The clock for message and membership times.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="meterFactory">Creates the <c>Switchboard</c> meter; without one the layer creates its own.</param>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public RedisChannelLayer(RedisChannelLayerOptions options, TimeProvider timeProvider, ILogger logger, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(RedisChannelLayerOptions), errors);
        }

        _timeProvider = timeProvider;
        Logger = logger;
        options.CopyTo(_options);
        _prefix = options.Prefix;
        _expirySeconds = options.Expiry.TotalSeconds;
        _groupExpirySeconds = options.GroupExpiry.TotalSeconds;
        _expiryTicks = (long)(options.Expiry.TotalSeconds * timeProvider.TimestampFrequency);
        ClientPrefix = Guid.NewGuid().ToString("N");
        _clientSuffix = ClientPrefix + "!";
        _defaultProcessPart = "specific." + _clientSuffix;

        var hosts = options.Hosts.Count == 0 ? [RedisChannelLayerOptions.DefaultHost] : options.Hosts.ToArray();
        var clientName = "switchboard." + ClientPrefix[..8];
        _shards = [.. hosts.Select((url, index) => new RedisShard(RedisHost.Parse(url), index, options.OperationTimeout, s_blockTimeout, clientName, logger))];
        var crypter = options.SymmetricEncryptionKeys.Count == 0
            ? null
            : new FernetCrypter(options.SymmetricEncryptionKeys, options.Expiry + TimeSpan.FromSeconds(10), timeProvider);
        _codec = new RedisMessageCodec(options.RandomPrefixLength, crypter, options.PropagateTraceContext);

        // Capacity rules (globs, regexes) and Fernet cannot run inside Redis; several hosts need several scripts.
        _groupSendInOneScript = _shards.Length == 1 && options.ChannelCapacities.Count == 0 && crypter is null;
        _metrics = new ChannelLayerMetrics(meterFactory, "redis");
        _dropWarnings = new LogThrottle(timeProvider, options.Expiry);
        _budgetWarnings = new LogThrottle(timeProvider, options.Expiry);
        _loopWarnings = new LogThrottle(timeProvider, s_loopWarningInterval);
        _local = new RedisLocalChannels(_options, timeProvider, _expiryTicks, OnLocalExpired);
        _receiver = new RedisProcessReceiver(this, _shards);

        // The key of NewChannelAsync()'s default prefix; other prefixes add their keys when first used.
        _receiver.AddKey(_prefix + _defaultProcessPart);
    }

    /// <summary>Gets this layer's client prefix: the 32 hex characters in every channel name it creates
    /// (<c>specific.&lt;client prefix&gt;!&lt;local&gt;</c>), unique per layer instance.</summary>
    public string ClientPrefix { get; }

    /// <summary>Gets the hosts of the shard ring, in order, without passwords.</summary>
    public IReadOnlyList<string> Hosts => [.. _shards.Select(static shard => shard.Host.DisplayName)];

    internal ILogger Logger { get; }

    /// <summary>Gets the receive loop, for tests.</summary>
    internal RedisProcessReceiver Receiver => _receiver;

    /// <summary>Gets the local buffers, for tests.</summary>
    internal RedisLocalChannels LocalChannels => _local;

    /// <inheritdoc />
    /// <remarks>Returns <c>{prefix}.{client prefix}!{32 hex}</c>, the shape channels_redis uses, so Python senders
    /// route to it. Opens no connection.</remarks>
    /// <exception cref="ArgumentException">The prefix is empty, has characters a channel name cannot have (or <c>!</c>),
    /// or is longer than <see cref="MaxPrefixLength"/>.</exception>
    public ValueTask<string> NewChannelAsync(string prefix = "specific", CancellationToken cancellationToken = default)
    {
        if (!ChannelNames.IsValidGroupName(prefix) || prefix.Length > MaxPrefixLength)
        {
            throw new ArgumentException(
                $"Invalid channel prefix '{prefix}': use ASCII letters, digits, '-', '_' and '.' (no '!'), at most {MaxPrefixLength} characters.",
                nameof(prefix));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<string>(cancellationToken);
        }

        var processPart = $"{prefix}.{ClientPrefix}!";
        var key = _prefix + processPart;
        if (!_receiver.HasKey(key))
        {
            _receiver.AddKey(key);
        }

        return new ValueTask<string>(processPart + Guid.NewGuid().ToString("N"));
    }

    /// <summary>Stops the receive loop, fails waiting receives with <see cref="ObjectDisposedException"/> and closes
    /// every connection. Nothing is written to Redis: memberships of this process expire with the group expiry, as in
    /// channels_redis.</summary>
    /// <returns>A task that completes when the connections are closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _disposing.CancelAsync().ConfigureAwait(false);
        await _receiver.DisposeAsync().ConfigureAwait(false);
        _local.Dispose();
        foreach (var shard in _shards)
        {
            await shard.DisposeAsync().ConfigureAwait(false);
        }

        _metrics.Dispose();
        _disposing.Dispose();
    }

    /// <summary>Disposes synchronously, for containers that dispose that way; blocks until the connections are closed.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The current time as channels_redis writes it: Unix seconds as a double, like Python's <c>time.time()</c>.</summary>
    private double UnixNow() => (_timeProvider.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalSeconds;

    /// <summary>The score of a message or membership written now: the Unix time, but always above this layer's previous
    /// score (by a microsecond), so that one sender's messages stay in order in their sorted set even when its clock
    /// steps back or two sends fall in one clock tick (equal scores order by the random bytes, not by time).</summary>
    private double NextScore()
    {
        var now = UnixNow();
        while (true)
        {
            var last = Volatile.Read(ref _lastScore);
            var next = now > last ? now : last + 1e-6;
            if (Interlocked.CompareExchange(ref _lastScore, next, last) == last)
            {
                return next;
            }
        }
    }

    private RedisShard ShardFor(string name) => _shards[RedisShardRing.GetIndex(name, _shards.Length)];

    private string ChannelKey(string channel) => _prefix + ChannelNames.GetProcessPart(channel);

    private string GroupKey(string group) => _prefix + ":group:" + group;

    private int GetCapacity(string channel) => _options.GetCapacity(channel);

    private int ExpirySecondsForTtl => (int)Math.Ceiling(_expirySeconds);

    // A process's key outlives its messages' expiry, so that its receive loop can report late messages as expired
    // rather than have them vanish with the key (RedisScripts explains).
    private int SpecificKeyTtlSeconds => (2 * ExpirySecondsForTtl) + 1;

    private int GroupExpirySecondsForTtl => (int)Math.Ceiling(_groupExpirySeconds);

    private void OnLocalExpired(string channel, int count)
    {
        _metrics.Dropped(count, DroppedMessages.Expired);
        Log.MessagesExpired(Logger, count, channel);
    }
}
