using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Internal;

namespace Switchboard;

/// <summary>
/// The channel layer of a single process (Channels' <c>InMemoryChannelLayer</c>), and Switchboard's default: channels
/// and groups live in memory, so messages reach consumers and workers of this process only. Use a distributed layer
/// (Redis) to reach other processes.
/// </summary>
/// <remarks>
/// <para>Semantics (<see cref="IChannelLayer"/>): FIFO per channel; each message goes to exactly one reader; a sent
/// message becomes read-only and the same instance reaches every reader (group send does not copy it per member);
/// unread messages expire after <see cref="ChannelLayerOptions.Expiry"/> and are never delivered; a channel
/// whose message expired unread leaves every group, because its reader is presumed dead; expired messages do not count
/// against the capacity; group memberships expire <see cref="ChannelLayerOptions.GroupExpiry"/> after the last
/// add. Process-specific names (<c>specific.abc!def</c>) are ordinary channels here and can be received on directly.</para>
/// <para>Concurrency: every channel has its own lock (no global lock); a send to a waiting receive hands the message
/// over directly; group send walks an immutable member snapshot without locking. A sweep every
/// <see cref="ChannelLayerOptions.Expiry"/> (at most an hour), on the injected <see cref="TimeProvider"/>, purges expired
/// messages, drops idle channels and expired memberships, so abandoned channels do not hold memory.</para>
/// <para>Bounds (<see cref="ChannelLayerOptions"/>): a named channel holds at most its capacity of messages; a
/// process-specific channel (a consumer's inbox) is bounded by bytes, and where it loses messages (a group send over
/// its budget, or expiry) its reader gets a <see cref="DroppedMessages"/> marker in their place.</para>
/// <para>Metrics on the meter <c>Switchboard</c> (<c>switchboard.layer.*</c>, tag <c>switchboard.layer.type</c> =
/// <c>in_memory</c>): messages sent, received, dropped (by reason: <c>capacity</c>, <c>budget</c>, <c>expired</c>) and
/// refused, each call's duration and each group send's fan-out; docs/diagnostics.md lists them.</para>
/// </remarks>
public sealed partial class InMemoryChannelLayer : IChannelLayer, IQuietReceive, IDisposable
{
    /// <summary>The longest prefix <see cref="NewChannelAsync"/> accepts, so that the name stays under <see cref="ChannelNames.MaxLength"/>.</summary>
    public const int MaxPrefixLength = ChannelNames.MaxLength - 1 - (2 * RandomPartLength) - 2;

    private const int RandomPartLength = 12;

    // The value of the switchboard.layer tag on this layer's spans.
    private const string LayerName = "in_memory";
    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly TimeSpan s_maxSweepInterval = TimeSpan.FromHours(1);

    private static readonly Func<string, InMemoryChannelLayer, InMemoryGroup> s_createGroup =
        static (name, layer) => new InMemoryGroup(name, layer._groups);

    private readonly InMemoryChannelTable _channels;
    private readonly ConcurrentDictionary<string, InMemoryGroup> _groups = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ChannelLayerMetrics _metrics;
    private readonly InMemoryChannelLayerOptions _options = new();
    private readonly TimeSpan _expiry;

    // Durations in TimeProvider timestamp units: the layer compares monotonic timestamps, never wall-clock times.
    private readonly long _expiryTicks;
    private readonly long _groupExpiryTicks;
    private readonly string _layerId;
    private readonly ITimer _sweepTimer;
    private readonly LogThrottle _dropWarnings;
    private volatile bool _disposed;

    /// <summary>Creates a layer with the default settings (expiry 60 s, group expiry 1 day, capacity 100) on the system clock.</summary>
    public InMemoryChannelLayer()
        : this(new InMemoryChannelLayerOptions(), TimeProvider.System)
    {
    }

    /// <summary>Creates a layer without dependency injection, for tests and embedding.</summary>
    /// <param name="options">The settings; read once.</param>
    /// <param name="timeProvider">The clock for expiry and the sweep.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (not positive, or a bad capacity rule).</exception>
    public InMemoryChannelLayer(ChannelLayerOptions options, TimeProvider timeProvider)
        : this(options, timeProvider, NullLogger<InMemoryChannelLayer>.Instance, meterFactory: null)
    {
    }

    /// <summary>Creates a layer; the constructor dependency injection uses.</summary>
    /// <param name="options">The settings; <see cref="IOptions{TOptions}.Value"/> is read once, here.</param>
    /// <param name="timeProvider">The clock for expiry and the sweep.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="meterFactory">Creates the <c>Switchboard</c> meter; without one the layer creates its own.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (not positive, or a bad capacity rule).</exception>
    public InMemoryChannelLayer(
        IOptions<InMemoryChannelLayerOptions> options,
        TimeProvider timeProvider,
        ILogger<InMemoryChannelLayer> logger,
        IMeterFactory? meterFactory = null)
        : this(options?.Value!, timeProvider, logger, meterFactory)
    {
    }

    /// <summary>Creates a layer from any layer's shared settings, with logging and metrics.</summary>
    /// <param name="options">The settings; read once (copied).</param>
    /// <param name="timeProvider">The clock for expiry and the sweep.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="meterFactory">Creates the <c>Switchboard</c> meter; without one the layer creates its own.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">A setting is invalid (not positive, or a bad capacity rule).</exception>
    public InMemoryChannelLayer(ChannelLayerOptions options, TimeProvider timeProvider, ILogger logger, IMeterFactory? meterFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, options.GetType(), errors);
        }

        _timeProvider = timeProvider;
        _logger = logger;
        options.CopyTo(_options);
        _expiry = options.Expiry;
        _expiryTicks = ToTimestampTicks(options.Expiry, timeProvider);
        _groupExpiryTicks = ToTimestampTicks(options.GroupExpiry, timeProvider);
        _layerId = RandomLetters();
        _metrics = new ChannelLayerMetrics(meterFactory, "in_memory");
        _channels = new InMemoryChannelTable(_options, _expiryTicks, OnExpired, _metrics.Received, nameof(InMemoryChannelLayer));
        _dropWarnings = new LogThrottle(timeProvider, options.Expiry);

        // The timer holds the layer weakly, so an undisposed layer can still be collected (and then stops its timer).
        // At most hourly: the interval only bounds how long abandoned channels hold memory, and timers cap near 49 days.
        var sweeper = new Sweeper(this);
        var interval = _expiry < s_maxSweepInterval ? _expiry : s_maxSweepInterval;
        _sweepTimer = timeProvider.CreateTimer(static state => ((Sweeper)state!).Tick(), sweeper, interval, interval);
        sweeper.Timer = _sweepTimer;
    }

    /// <inheritdoc />
    /// <remarks>Expired messages are purged from the channel first, so they never count against its capacity. A reader
    /// waiting on the channel gets the message directly.</remarks>
    public ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        using var activity = SwitchboardActivities.StartLayerCall(
            SwitchboardActivities.LayerSend, ActivityKind.Producer, "send", LayerName, channel, message);
        message = SwitchboardActivities.WithTraceContext(message, _options.PropagateTraceContext);
        message.MakeReadOnly();
        var started = _metrics.StartOperation();
        var now = _timeProvider.GetTimestamp();
        if (_channels.Write(channel, message, now, now + _expiryTicks, dropWhenFull: false, out var queue) == InMemoryChannelQueue.WriteResult.Full)
        {
            _metrics.Refused();
            _metrics.EndOperation(started, ChannelLayerMetrics.SendOperation);
            Exception full = queue.MaxBytes is { } maxBytes
                ? ChannelFullException.ForSpecificChannel(channel, queue.Capacity, maxBytes)
                : new ChannelFullException(channel, queue.Capacity);
            SwitchboardActivities.SetError(activity, full);
            return ValueTask.FromException(full);
        }

        _metrics.Sent(1);
        _metrics.EndOperation(started, ChannelLayerMetrics.SendOperation);
        return default;
    }

    /// <inheritdoc />
    /// <remarks>Readers of one channel are served in the order they started waiting. A process-specific name is an
    /// ordinary channel in this layer.</remarks>
    /// <exception cref="ArgumentException">The channel name is invalid.</exception>
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
        return _channels.ReceiveAsync(channel, _timeProvider.GetTimestamp(), quiet, following, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Returns <c>{prefix}.{layer id}!{12 random letters}</c>; the layer id is 12 random letters per layer
    /// instance. Letters come from a cryptographic generator, so names are unique in practice (52^12 per layer).</remarks>
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

        return new ValueTask<string>(string.Create(
            prefix.Length + (2 * RandomPartLength) + 2,
            (prefix, _layerId),
            static (span, state) =>
            {
                state.prefix.CopyTo(span);
                span = span[state.prefix.Length..];
                span[0] = '.';
                state._layerId.CopyTo(span[1..]);
                span[RandomPartLength + 1] = '!';
                RandomNumberGenerator.GetItems(Letters, span[(RandomPartLength + 2)..]);
            }));
    }

    /// <inheritdoc />
    public ValueTask GroupAddAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidGroupName(group);
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        using var activity = SwitchboardActivities.StartLayerCall(
            SwitchboardActivities.LayerGroupAdd, ActivityKind.Client, "group_add", LayerName, group, message: null);
        var started = _metrics.StartOperation();
        var now = _timeProvider.GetTimestamp();

        // Add returns false only when the group emptied and removed itself meanwhile: retry on the current one.
        while (!_groups.GetOrAdd(group, s_createGroup, this).Add(channel, now))
        {
        }

        _metrics.EndOperation(started, ChannelLayerMetrics.GroupAddOperation);
        return default;
    }

    /// <inheritdoc />
    public ValueTask GroupDiscardAsync(string group, string channel, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidGroupName(group);
        ChannelNames.ThrowIfInvalidChannelName(channel);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        using var activity = SwitchboardActivities.StartLayerCall(
            SwitchboardActivities.LayerGroupDiscard, ActivityKind.Client, "group_discard", LayerName, group, message: null);
        var started = _metrics.StartOperation();
        if (_groups.TryGetValue(group, out var existing))
        {
            existing.Remove(channel);
        }

        _metrics.EndOperation(started, ChannelLayerMetrics.GroupDiscardOperation);
        return default;
    }

    /// <inheritdoc />
    /// <remarks>Costs O(members) and allocates nothing per member. Members whose membership expired are skipped and
    /// removed. A member whose channel is full misses the message: a named channel at its capacity (reason
    /// <c>capacity</c>), or a process-specific channel over its byte budget (reason <c>budget</c>), whose reader then
    /// finds a <see cref="DroppedMessages"/> marker in its place. Every drop is counted
    /// (<c>switchboard.layer.dropped.messages</c>) and logged, at Warning at most once per expiry interval and at Debug
    /// otherwise, so a dead reader cannot flood the log.</remarks>
    public ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default)
    {
        ChannelNames.ThrowIfInvalidGroupName(group);
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        using var activity = SwitchboardActivities.StartLayerCall(
            SwitchboardActivities.LayerGroupSend, ActivityKind.Producer, "group_send", LayerName, group, message);

        // One context for the whole group: every member's handle span continues this span.
        message = SwitchboardActivities.WithTraceContext(message, _options.PropagateTraceContext);
        message.MakeReadOnly();
        var started = _metrics.StartOperation();
        if (!_groups.TryGetValue(group, out var target))
        {
            activity?.SetTag(SwitchboardActivityTags.GroupMembersTag, 0);
            _metrics.GroupSent(0);
            _metrics.EndOperation(started, ChannelLayerMetrics.GroupSendOperation);
            return default;
        }

        var now = _timeProvider.GetTimestamp();
        var expiresAt = now + _expiryTicks;
        var members = target.Members;
        var sent = 0;
        var full = 0;
        var overBudget = 0;
        var hasExpiredMembers = false;
        string? firstDropped = null;
        for (var i = 0; i < members.Count; i++)
        {
            var member = members.Items[i];
            if (member.IsRemoved)
            {
                continue;
            }

            if (now - member.JoinedAt >= _groupExpiryTicks)
            {
                hasExpiredMembers = true;
                continue;
            }

            var queue = member.Queue;
            var result = _channels.Write(member.Channel, message, now, expiresAt, dropWhenFull: true, ref queue, out _);
            if (!ReferenceEquals(queue, member.Queue))
            {
                member.Queue = queue;
            }

            switch (result)
            {
                case InMemoryChannelQueue.WriteResult.Full:
                    full++;
                    firstDropped ??= member.Channel;
                    break;
                case InMemoryChannelQueue.WriteResult.Dropped:
                    overBudget++;
                    firstDropped ??= member.Channel;
                    break;
                default:
                    sent++;
                    break;
            }
        }

        if (hasExpiredMembers)
        {
            target.RemoveExpired(now, _groupExpiryTicks);
        }

        _metrics.Sent(sent);
        _metrics.GroupSent(sent + full + overBudget);
        activity?.SetTag(SwitchboardActivityTags.GroupMembersTag, sent);
        if (firstDropped is not null)
        {
            OnGroupSendDropped(group, message, full, overBudget, sent + full + overBudget, firstDropped);
        }

        _metrics.EndOperation(started, ChannelLayerMetrics.GroupSendOperation);
        return default;
    }

    /// <inheritdoc />
    /// <remarks>Receives that are waiting keep waiting and get the next message sent to their channel.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        using var activity = SwitchboardActivities.StartLayerCall(
            SwitchboardActivities.LayerFlush, ActivityKind.Client, "flush", LayerName, destination: null, message: null);
        _channels.Clear();
        foreach (var pair in _groups)
        {
            pair.Value.Clear();
        }

        return default;
    }

    /// <summary>Stops the sweep, drops every message and group, and fails waiting receives with <see cref="ObjectDisposedException"/>.
    /// Every later operation throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Interlocked.MemoryBarrier();
        _sweepTimer.Dispose();
        _channels.Close();

        foreach (var pair in _groups)
        {
            pair.Value.Clear();
        }

        _metrics.Dispose();
    }

    /// <summary>Purges expired messages, drops idle channels and expired group memberships. Runs every
    /// <see cref="ChannelLayerOptions.Expiry"/> (at most an hour) on the layer's timer.</summary>
    internal void Sweep()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            var now = _timeProvider.GetTimestamp();

            // Enumerating a ConcurrentDictionary takes no lock and tolerates concurrent changes.
            _channels.Sweep(now);
            foreach (var pair in _groups)
            {
                pair.Value.RemoveExpired(now, _groupExpiryTicks);
            }
        }
        catch (Exception exception)
        {
            // A timer callback must not throw (it would end the process); the next sweep tries again.
            Log.SweepFailed(_logger, exception);
        }
    }

    /// <summary>Gets the number of channel queues held, for tests of the sweep.</summary>
    internal int ChannelCount => _channels.Count;

    /// <summary>Gets the number of groups held, for tests of the sweep.</summary>
    internal int GroupCount => _groups.Count;

    private void OnExpired(string channel, int expired)
    {
        if (expired == 0)
        {
            return;
        }

        // Channels' rule: a message expired unread means the channel's reader is gone, so the channel leaves every
        // group and group sends stop filling it. This walks all groups, but only when messages expire unread.
        _metrics.Dropped(expired, DroppedMessages.Expired);
        Log.MessagesExpired(_logger, expired, channel);
        foreach (var pair in _groups)
        {
            pair.Value.Remove(channel);
        }
    }

    private void OnGroupSendDropped(string group, LayerMessage message, int full, int overBudget, int members, string channel)
    {
        _metrics.Dropped(full, ChannelLayerMetrics.CapacityReason);
        _metrics.Dropped(overBudget, DroppedMessages.Budget);
        var dropped = full + overBudget;

        // One warning per expiry interval: a dead member's channel stays full until its messages expire.
        if (_dropWarnings.TryEnter())
        {
            Log.GroupSendDroppedWarning(_logger, group, message.Type, dropped, members, channel, _expiry);
        }
        else
        {
            Log.GroupSendDropped(_logger, group, message.Type, dropped, members, channel);
        }
    }

    private static long ToTimestampTicks(TimeSpan duration, TimeProvider timeProvider) =>
        (long)Math.Min(duration.TotalSeconds * timeProvider.TimestampFrequency, long.MaxValue / 4);

    private static string RandomLetters() =>
        string.Create(RandomPartLength, 0, static (span, _) => RandomNumberGenerator.GetItems(Letters, span));

    /// <summary>The sweep timer's state: holds the layer weakly, and stops the timer once the layer is collected.</summary>
    private sealed class Sweeper(InMemoryChannelLayer layer)
    {
        private readonly WeakReference<InMemoryChannelLayer> _layer = new(layer);

        public ITimer? Timer { get; set; }

        public void Tick()
        {
            if (_layer.TryGetTarget(out var target))
            {
                target.Sweep();
            }
            else
            {
                Timer?.Dispose();
            }
        }
    }
}
