using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard;

/// <summary>
/// The consumers' instrument on the <c>Switchboard</c> meter: how long each handled event took. One per container
/// (<c>AddSwitchboard</c> registers it); a consumer built without one records nothing.
/// </summary>
/// <remarks>The clock is read only while a listener has the histogram enabled, so an unobserved event costs one field
/// check. A connection consumer's layer messages are timed only on request (<see cref="SwitchboardMetricsOptions"/>).</remarks>
internal sealed class ConsumerMetrics
{
    // Seconds, as ASP.NET Core's http.server.request.duration: a handler is one request's worth of work.
    private static readonly double[] s_buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Histogram<double> _handlerDuration;
    private readonly bool _timeLayerMessages;

    public ConsumerMetrics(IMeterFactory? meterFactory, SwitchboardMetricsOptions? options = null)
    {
        _timeLayerMessages = options?.RecordLayerMessageHandlerDuration ?? false;
        var meter = meterFactory?.Create(SwitchboardDiagnostics.MeterName) ?? new Meter(SwitchboardDiagnostics.MeterName);
        _handlerDuration = meter.CreateHistogram(
            "switchboard.consumer.handler.duration", "s", "How long a consumer took to handle one event or layer message, by its type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_buckets });
    }

    /// <summary>A timestamp while someone listens, else 0.</summary>
    public long Start() => _handlerDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>A timestamp for a layer message a connection's consumer handles, only when
    /// <see cref="SwitchboardMetricsOptions.RecordLayerMessageHandlerDuration"/> is set and someone listens, else 0.</summary>
    public long StartLayerMessage() => _timeLayerMessages ? Start() : 0;

    /// <summary>Records an event started by <see cref="Start"/>; nothing when it returned 0.</summary>
    public void Handled(long started, string messageType)
    {
        if (started != 0)
        {
            _handlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(SwitchboardTags.MessageType, messageType));
        }
    }
}
