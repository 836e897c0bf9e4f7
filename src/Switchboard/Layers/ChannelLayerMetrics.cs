using System.Diagnostics.Metrics;

namespace Switchboard;

/// <summary>
/// The channel-layer instruments, on the meter <c>Switchboard</c>. Adding to a counter nobody listens to costs a field
/// check, so the layers count on their hot paths.
/// </summary>
internal sealed class ChannelLayerMetrics : IDisposable
{
    /// <summary>The meter name every Switchboard instrument is published under.</summary>
    public const string MeterName = "Switchboard";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (so a DI container scopes and
    /// disposes them), or on an own meter when there is no factory.</summary>
    public ChannelLayerMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        MessagesSent = _meter.CreateCounter<long>(
            "switchboard.layer.messages.sent", "{message}", "Messages stored on a channel or handed to a waiting reader, by send and by group send (once per member).");
        MessagesReceived = _meter.CreateCounter<long>(
            "switchboard.layer.messages.received", "{message}", "Messages taken by a receive.");
        MessagesExpired = _meter.CreateCounter<long>(
            "switchboard.layer.messages.expired", "{message}", "Messages that expired unread and were discarded.");
        GroupSendDropped = _meter.CreateCounter<long>(
            "switchboard.layer.group_send.dropped", "{message}", "Group-send deliveries dropped because the member's channel was full.");
    }

    public Counter<long> MessagesSent { get; }

    public Counter<long> MessagesReceived { get; }

    public Counter<long> MessagesExpired { get; }

    public Counter<long> GroupSendDropped { get; }

    public void Dispose()
    {
        // A factory's meters belong to the factory, which disposes them with the container.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
