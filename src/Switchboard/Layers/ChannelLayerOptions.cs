namespace Switchboard;

/// <summary>
/// The settings every channel layer shares (the <c>CONFIG</c> of a Channels layer): expiry, group expiry, capacity,
/// per-channel capacities and the byte budget of process-specific channels. A layer's own options derive from this
/// class and add only what is their own (the Redis layer: hosts, prefix, encryption keys).
/// </summary>
/// <remarks>
/// <para>Two kinds of channel are bounded differently. A <em>named</em> channel (such as <c>thumbnails</c>, read by
/// workers) holds at most <see cref="Capacity"/> unread messages, as in Channels: a send beyond it throws
/// <see cref="ChannelFullException"/> and a group send skips it. A <em>process-specific</em> channel (a consumer's own
/// <c>specific.…!…</c> name) is bounded by bytes, <see cref="SpecificChannelMaxBytes"/>, so that a consumer that keeps
/// reading never loses a message to a burst, whatever its count; when a message cannot be kept for it (over the budget
/// on a group send, or expired unread) its reader gets a <see cref="DroppedMessages.Type"/> marker at that point of the
/// stream. A <see cref="ChannelCapacities"/> rule that matches a process-specific name adds a count limit to it.</para>
/// <para>Bindable from configuration, for example <c>{ "Expiry": "00:01:00", "Capacity": 100,
/// "SpecificChannelMaxBytes": 4194304, "ChannelCapacities": [ { "Pattern": "thumbnails", "Capacity": 1000 } ] }</c>.</para>
/// </remarks>
public abstract class ChannelLayerOptions
{
    /// <summary>The default <see cref="Expiry"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="GroupExpiry"/>: 86400 seconds (one day).</summary>
    public static readonly TimeSpan DefaultGroupExpiry = TimeSpan.FromSeconds(86400);

    /// <summary>The default <see cref="Capacity"/>: 100 messages.</summary>
    public const int DefaultCapacity = 100;

    /// <summary>The default <see cref="SpecificChannelMaxBytes"/>: 4 MiB.</summary>
    public const long DefaultSpecificChannelMaxBytes = 4L * 1024 * 1024;

    /// <summary>Gets or sets how long an unread message lives (Channels' <c>expiry</c>); an expired message is never
    /// delivered, and its channel leaves every group (its reader is presumed dead). Default 60 s; must be positive.</summary>
    public TimeSpan Expiry { get; set; } = DefaultExpiry;

    /// <summary>Gets or sets how long a group membership lasts after the last
    /// <see cref="IChannelLayer.GroupAddAsync"/> (Channels' <c>group_expiry</c>). Default 86400 s; must be positive.</summary>
    public TimeSpan GroupExpiry { get; set; } = DefaultGroupExpiry;

    /// <summary>Gets or sets how many unread messages a named channel holds before <see cref="IChannelLayer.SendAsync"/>
    /// throws <see cref="ChannelFullException"/> (Channels' <c>capacity</c>). Process-specific channels are bounded by
    /// <see cref="SpecificChannelMaxBytes"/> instead. Default 100; must be positive.</summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>Gets or sets how many bytes of unread messages one process-specific channel (a connected consumer's
    /// inbox) may hold. A message's size is the layer's estimate of what it occupies (in memory, or serialized for a
    /// network layer); one message larger than the budget is still kept when the channel holds nothing else. Default
    /// 4 MiB; must be positive.</summary>
    public long SpecificChannelMaxBytes { get; set; } = DefaultSpecificChannelMaxBytes;

    /// <summary>Gets or sets whether sent messages carry the W3C trace context of the span that sends them, so that the
    /// consumer that handles a message, in this process or another, continues the sender's trace. Written only while a
    /// listener subscribes to <see cref="SwitchboardDiagnostics.ActivitySourceName"/> and samples the sending span; a
    /// network layer stores it under the reserved key <see cref="LayerMessage.TraceContextKey"/>. Turn it off in mixed
    /// deployments where Django consumers read the same channels and would see that key among a message's keys; then
    /// every handled message starts a trace of its own. Default <see langword="true"/>.</summary>
    public bool PropagateTraceContext { get; set; } = true;

    /// <summary>Gets the per-channel capacities (Channels' <c>channel_capacity</c>), tried in order; the first rule that
    /// matches a channel name sets its capacity, and <see cref="Capacity"/> applies to named channels when none does.</summary>
    public IList<ChannelCapacityRule> ChannelCapacities { get; } = new List<ChannelCapacityRule>();

    /// <summary>Returns every problem with these settings; empty when they are usable. A derived class adds its own
    /// checks to the base's.</summary>
    /// <returns>One message per problem, naming the setting and what it must be.</returns>
    public virtual IList<string> Validate()
    {
        var name = GetType().Name;
        var errors = new List<string>();
        if (Expiry <= TimeSpan.Zero)
        {
            errors.Add($"{name}.Expiry is {Expiry}; it must be positive (default {DefaultExpiry}).");
        }

        if (GroupExpiry <= TimeSpan.Zero)
        {
            errors.Add($"{name}.GroupExpiry is {GroupExpiry}; it must be positive (default {DefaultGroupExpiry}).");
        }

        if (Capacity <= 0)
        {
            errors.Add($"{name}.Capacity is {Capacity}; it must be positive (default {DefaultCapacity}).");
        }

        if (SpecificChannelMaxBytes <= 0)
        {
            errors.Add($"{name}.SpecificChannelMaxBytes is {SpecificChannelMaxBytes}; it must be positive (default {DefaultSpecificChannelMaxBytes}).");
        }

        foreach (var rule in ChannelCapacities)
        {
            if (rule is null)
            {
                errors.Add($"{name}.ChannelCapacities contains null; remove it.");
            }
            else if (rule.Validate() is { } error)
            {
                errors.Add($"{name}.ChannelCapacities: {error}");
            }
        }

        return errors;
    }

    /// <summary>Copies the shared settings (not a derived class's own) to another options instance, for example to
    /// build one layer's options from another's.</summary>
    /// <param name="target">The options to overwrite.</param>
    public void CopyTo(ChannelLayerOptions target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Expiry = Expiry;
        target.GroupExpiry = GroupExpiry;
        target.Capacity = Capacity;
        target.SpecificChannelMaxBytes = SpecificChannelMaxBytes;
        target.PropagateTraceContext = PropagateTraceContext;
        target.ChannelCapacities.Clear();
        foreach (var rule in ChannelCapacities)
        {
            target.ChannelCapacities.Add(rule);
        }
    }

    /// <summary>Gets the count limit of a channel: the first matching rule's, else <see cref="Capacity"/> for a named
    /// channel and no count limit (<see cref="int.MaxValue"/>) for a process-specific one.</summary>
    internal int GetCapacity(string channel)
    {
        foreach (var rule in ChannelCapacities)
        {
            if (rule.IsMatch(channel))
            {
                return rule.Capacity;
            }
        }

        return ChannelNames.IsProcessSpecific(channel) ? int.MaxValue : Capacity;
    }
}
