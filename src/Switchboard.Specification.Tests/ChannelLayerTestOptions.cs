namespace Switchboard.Specification.Tests;

/// <summary>
/// The settings a conformance test asks of the layer under test (<see cref="ChannelLayerTestsBase.CreateLayer"/>):
/// Channels' <c>expiry</c>, <c>group_expiry</c>, <c>capacity</c> and <c>channel_capacity</c>. Each test sets only what
/// it needs; the rest keep Channels' defaults.
/// </summary>
public sealed class ChannelLayerTestOptions
{
    /// <summary>Gets how long an unread message lives. Default 60 s; expiry tests use 1 s.</summary>
    public TimeSpan Expiry { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets how long a group membership lasts after the last add. Default 86400 s; group-expiry tests use 1–2 s.</summary>
    public TimeSpan GroupExpiry { get; init; } = TimeSpan.FromSeconds(86400);

    /// <summary>Gets the default channel capacity. Default 100.</summary>
    public int Capacity { get; init; } = 100;

    /// <summary>Gets the per-channel capacities, first match wins. Default none.</summary>
    public IReadOnlyList<ChannelCapacityRule> ChannelCapacities { get; init; } = [];
}
