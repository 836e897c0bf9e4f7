using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Totals of one host's <c>Switchboard</c> meter, by instrument and by instrument and <c>reason</c> tag.</summary>
/// <remarks>Observable counters (the per-message ones) report their running totals when collected: <see cref="Total"/>
/// collects them first, and their last report replaces the previous one.</remarks>
public sealed class SwitchboardMeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _totals = [];

    public SwitchboardMeterCapture(IServiceProvider services)
    {
        // Only this host's meter: other tests run their own hosts in parallel.
        var meterFactory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Switchboard" && instrument.Meter.Scope == meterFactory)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "switchboard.reason")
                {
                    reason = tag.Value as string;
                }
            }

            lock (_totals)
            {
                if (instrument is ObservableCounter<long>)
                {
                    _totals[instrument.Name] = value;
                    return;
                }

                _totals[instrument.Name] = _totals.GetValueOrDefault(instrument.Name) + value;
                if (reason is not null)
                {
                    var key = $"{instrument.Name}[{reason}]";
                    _totals[key] = _totals.GetValueOrDefault(key) + value;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The total of an instrument, or of its measurements with <c>reason</c> = <paramref name="reason"/>.</summary>
    public long Total(string instrument, string? reason = null)
    {
        _listener.RecordObservableInstruments();
        lock (_totals)
        {
            return _totals.GetValueOrDefault(reason is null ? instrument : $"{instrument}[{reason}]");
        }
    }

    public void Dispose() => _listener.Dispose();
}
