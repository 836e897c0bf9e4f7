using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard;

/// <summary>
/// The channel-layer instruments, on the meter <c>Switchboard</c>, shared by every layer. Adding to a counter nobody
/// listens to costs a field check, so the layers count on their hot paths; the one counted per message received is
/// observable, summed in a <see cref="StripedCounter"/> and reported when a listener collects. Timing is done only while
/// a listener has the duration histogram enabled (<see cref="StartOperation"/> returns 0 otherwise), so an unobserved
/// call reads no clock.
/// </summary>
internal sealed class ChannelLayerMetrics : IDisposable
{
    /// <summary>The reason of a group-send delivery skipped because a named channel held its capacity.</summary>
    public const string CapacityReason = "capacity";

    /// <summary>The <c>switchboard.layer.operation</c> of a send.</summary>
    public const string SendOperation = "send";

    /// <summary>The <c>switchboard.layer.operation</c> of a group send.</summary>
    public const string GroupSendOperation = "group_send";

    /// <summary>The <c>switchboard.layer.operation</c> of a group add.</summary>
    public const string GroupAddOperation = "group_add";

    /// <summary>The <c>switchboard.layer.operation</c> of a group discard.</summary>
    public const string GroupDiscardOperation = "group_discard";

    // Seconds, from 50 microseconds (an in-memory send) to 10 s (a Redis call at its timeout).
    private static readonly double[] s_durationBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    // Members reached by one group send: a private chat to a stadium.
    private static readonly int[] s_fanoutBuckets = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _layerType;
    private readonly StripedCounter _received = new();

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (so a DI container scopes and
    /// disposes them), or on an own meter when there is no factory.</summary>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    /// <param name="layerType">The <c>switchboard.layer.type</c> tag of every measurement: <c>in_memory</c>, <c>redis</c>.</param>
    public ChannelLayerMetrics(IMeterFactory? meterFactory, string layerType)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(SwitchboardDiagnostics.MeterName) ?? new Meter(SwitchboardDiagnostics.MeterName);
        _layerType = new(SwitchboardTags.LayerType, layerType);
        MessagesSent = _meter.CreateCounter<long>(
            "switchboard.layer.sent.messages", "{message}", "Messages stored on a channel or handed to a waiting reader, by send and by group send (once per member).");
        MessagesReceived = _meter.CreateObservableCounter(
            "switchboard.layer.received.messages", () => new Measurement<long>(_received.Sum(), _layerType), "{message}", "Messages taken by a receive.");
        MessagesDropped = _meter.CreateCounter<long>(
            "switchboard.layer.dropped.messages", "{message}",
            "Messages a layer could not keep, by reason: capacity (a group send skipped a full named channel), budget (a process-specific channel over its byte budget), expired (unread for the expiry).");
        MessagesRefused = _meter.CreateCounter<long>(
            "switchboard.layer.refused.messages", "{message}", "Sends refused with ChannelFullException: the channel held its capacity (or byte budget).");
        OperationDuration = _meter.CreateHistogram(
            "switchboard.layer.operation.duration", "s", "How long a channel-layer call took, by operation (send, group_send, group_add, group_discard).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });
        GroupSendFanout = _meter.CreateHistogram(
            "switchboard.layer.group_send.fanout", "{channel}", "Members one group send addressed; the histogram's count is the number of group sends.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = s_fanoutBuckets });
    }

    public Counter<long> MessagesSent { get; }

    public ObservableCounter<long> MessagesReceived { get; }

    public Counter<long> MessagesDropped { get; }

    public Counter<long> MessagesRefused { get; }

    public Histogram<double> OperationDuration { get; }

    public Histogram<int> GroupSendFanout { get; }

    public void Sent(long count) => MessagesSent.Add(count, _layerType);

    public void Received() => Received(1);

    public void Received(int count)
    {
        if (MessagesReceived.Enabled)
        {
            _received.Add(count);
        }
    }

    /// <summary>Counts a send refused with <see cref="ChannelFullException"/>.</summary>
    public void Refused() => MessagesRefused.Add(1, _layerType);

    /// <summary>Counts dropped messages under a reason; nothing when <paramref name="count"/> is 0.</summary>
    public void Dropped(long count, string reason)
    {
        if (count > 0)
        {
            MessagesDropped.Add(count, new KeyValuePair<string, object?>(SwitchboardTags.Reason, reason), _layerType);
        }
    }

    /// <summary>Records how many members a group send addressed.</summary>
    public void GroupSent(int members) => GroupSendFanout.Record(members, _layerType);

    /// <summary>The start of a timed call: a timestamp while someone listens to the duration, else 0 (no clock read).</summary>
    public long StartOperation() => OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Records a call started by <see cref="StartOperation"/>; nothing when it returned 0.</summary>
    public void EndOperation(long started, string operation)
    {
        if (started != 0)
        {
            OperationDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(SwitchboardTags.LayerOperation, operation), _layerType);
        }
    }

    /// <summary>Records a call when <paramref name="operation"/> completes; returns it untouched when nothing is timed.</summary>
    public ValueTask EndOperationAsync(long started, string name, ValueTask operation) =>
        started == 0 ? operation : AwaitAndRecordAsync(started, name, operation);

    public void Dispose()
    {
        // A factory's meters belong to the factory, which disposes them with the container.
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private async ValueTask AwaitAndRecordAsync(long started, string name, ValueTask operation)
    {
        try
        {
            await operation.ConfigureAwait(false);
        }
        finally
        {
            EndOperation(started, name);
        }
    }
}
