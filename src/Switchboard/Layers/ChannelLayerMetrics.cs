using System.Diagnostics.Metrics;

namespace Switchboard;

/// <summary>
/// The channel-layer instruments, on the meter <c>Switchboard</c>, shared by every layer. Adding to a counter nobody listens to costs a field
/// check, so the layers count on their hot paths.
/// </summary>
internal sealed class ChannelLayerMetrics : IDisposable
{
    /// <summary>The <c>reason</c> of a group-send delivery skipped because a named channel held its capacity.</summary>
    public const string CapacityReason = "capacity";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (so a DI container scopes and
    /// disposes them), or on an own meter when there is no factory.</summary>
    public ChannelLayerMetrics(IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(SwitchboardDiagnostics.MeterName) ?? new Meter(SwitchboardDiagnostics.MeterName);
        MessagesSent = _meter.CreateCounter<long>(
            "switchboard.layer.messages.sent", "{message}", "Messages stored on a channel or handed to a waiting reader, by send and by group send (once per member).");
        MessagesReceived = _meter.CreateCounter<long>(
            "switchboard.layer.messages.received", "{message}", "Messages taken by a receive.");
        MessagesDropped = _meter.CreateCounter<long>(
            "switchboard.layer.messages.dropped", "{message}",
            "Messages a layer could not keep, by reason: capacity (a group send skipped a full named channel), budget (a process-specific channel over its byte budget), expired (unread for the expiry).");
    }

    public Counter<long> MessagesSent { get; }

    public Counter<long> MessagesReceived { get; }

    public Counter<long> MessagesDropped { get; }

    /// <summary>Counts dropped messages under a reason; nothing when <paramref name="count"/> is 0.</summary>
    public void Dropped(long count, string reason)
    {
        if (count > 0)
        {
            MessagesDropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
        }
    }

    public void Dispose()
    {
        // A factory's meters belong to the factory, which disposes them with the container.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
