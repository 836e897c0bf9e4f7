using System.Diagnostics.Metrics;

namespace Switchboard;

/// <summary>The workers' instruments on the <c>Switchboard</c> meter: messages handled and failed, by channel.</summary>
internal sealed class WorkerMetrics
{
    private readonly Counter<long> _handled;
    private readonly Counter<long> _failed;

    public WorkerMetrics(IMeterFactory? meterFactory)
    {
        var meter = meterFactory?.Create(SwitchboardDiagnostics.MeterName) ?? new Meter(SwitchboardDiagnostics.MeterName);
        _handled = meter.CreateCounter<long>(
            "switchboard.worker.handled.messages", "{message}", "Messages a worker took from its channel and handled without a failure, by channel.");
        _failed = meter.CreateCounter<long>(
            "switchboard.worker.failed.messages", "{message}", "Messages whose handler failed in a worker, by channel.");
    }

    public void Handled(string channel) => _handled.Add(1, new KeyValuePair<string, object?>(SwitchboardTags.Channel, channel));

    public void Failed(string channel) => _failed.Add(1, new KeyValuePair<string, object?>(SwitchboardTags.Channel, channel));
}
