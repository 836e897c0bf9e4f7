namespace Switchboard.Specification.Tests;

/// <summary>
/// The settings a conformance test asks of the layer under test (<see cref="ChannelLayerTestsBase.CreateLayer"/>): the
/// shared <see cref="ChannelLayerOptions"/> (Channels' <c>expiry</c>, <c>group_expiry</c>, <c>capacity</c> and
/// <c>channel_capacity</c>, plus the process-specific byte budget). Each test sets only what it needs; the rest keep the
/// defaults. Copy them into the layer's own options with <see cref="ChannelLayerOptions.CopyTo"/>.
/// </summary>
public sealed class ChannelLayerTestOptions : ChannelLayerOptions
{
}
