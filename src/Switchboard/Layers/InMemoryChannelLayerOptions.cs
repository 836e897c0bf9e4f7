namespace Switchboard;

/// <summary>
/// Settings of the <see cref="InMemoryChannelLayer"/> (the <c>CONFIG</c> of Channels' <c>InMemoryChannelLayer</c>): the
/// shared <see cref="ChannelLayerOptions"/>, nothing of its own. Bindable from configuration, for example the section
/// <c>{ "Expiry": "00:01:00", "Capacity": 100, "ChannelCapacities": [ { "Pattern": "thumbnails", "Capacity": 200 } ] }</c>.
/// </summary>
public sealed class InMemoryChannelLayerOptions : ChannelLayerOptions
{
}
