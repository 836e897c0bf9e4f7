namespace Switchboard;

/// <summary>
/// Settings of the <see cref="InMemoryChannelLayer"/> (the <c>CONFIG</c> of Channels' <c>InMemoryChannelLayer</c>).
/// Bindable from configuration, for example the section <c>{ "Expiry": "00:01:00", "Capacity": 100,
/// "ChannelCapacities": [ { "Pattern": "http.response!*", "Capacity": 200 } ] }</c>.
/// </summary>
public sealed class InMemoryChannelLayerOptions
{
    /// <summary>The default <see cref="Expiry"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultExpiry = TimeSpan.FromSeconds(60);

    /// <summary>The default <see cref="GroupExpiry"/>: 86400 seconds (one day).</summary>
    public static readonly TimeSpan DefaultGroupExpiry = TimeSpan.FromSeconds(86400);

    /// <summary>The default <see cref="Capacity"/>: 100 messages.</summary>
    public const int DefaultCapacity = 100;

    /// <summary>Gets or sets how long an unread message lives (Channels' <c>expiry</c>); an expired message is never
    /// delivered, and its channel leaves every group (its reader is presumed dead). Also the interval of the sweep that
    /// frees abandoned channels. Default 60 s; must be positive.</summary>
    public TimeSpan Expiry { get; set; } = DefaultExpiry;

    /// <summary>Gets or sets how long a group membership lasts after the last
    /// <see cref="IChannelLayer.GroupAddAsync"/> (Channels' <c>group_expiry</c>). Default 86400 s; must be positive.</summary>
    public TimeSpan GroupExpiry { get; set; } = DefaultGroupExpiry;

    /// <summary>Gets or sets how many unread messages a channel holds before <see cref="IChannelLayer.SendAsync"/>
    /// throws <see cref="ChannelFullException"/> (Channels' <c>capacity</c>). Default 100; must be positive.</summary>
    public int Capacity { get; set; } = DefaultCapacity;

    /// <summary>Gets the per-channel capacities (Channels' <c>channel_capacity</c>), tried in order; the first rule that
    /// matches a channel name sets its capacity, and <see cref="Capacity"/> applies when none does.</summary>
    public IList<ChannelCapacityRule> ChannelCapacities { get; } = new List<ChannelCapacityRule>();

    /// <summary>Returns every problem with these settings; empty when they are usable.</summary>
    internal List<string> Validate()
    {
        var errors = new List<string>();
        if (Expiry <= TimeSpan.Zero)
        {
            errors.Add($"InMemoryChannelLayerOptions.Expiry is {Expiry}; it must be positive (default {DefaultExpiry}).");
        }

        if (GroupExpiry <= TimeSpan.Zero)
        {
            errors.Add($"InMemoryChannelLayerOptions.GroupExpiry is {GroupExpiry}; it must be positive (default {DefaultGroupExpiry}).");
        }

        if (Capacity <= 0)
        {
            errors.Add($"InMemoryChannelLayerOptions.Capacity is {Capacity}; it must be positive (default {DefaultCapacity}).");
        }

        foreach (var rule in ChannelCapacities)
        {
            if (rule is null)
            {
                errors.Add("InMemoryChannelLayerOptions.ChannelCapacities contains null; remove it.");
            }
            else if (rule.Validate() is { } error)
            {
                errors.Add($"InMemoryChannelLayerOptions.ChannelCapacities: {error}");
            }
        }

        return errors;
    }
}
