using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Switchboard.Reliability.Soak;

/// <summary>
/// Reads another process's metrics over EventPipe, as <c>dotnet-counters</c> does: the runtime's <c>System.Runtime</c>
/// meter (timers, thread pool, GC heap, exceptions) and Switchboard's meter, refreshed every second. Also forces a full
/// GC in that process (the way <c>dotnet-gcdump</c> does), so that memory is measured without garbage in it.
/// </summary>
internal sealed class RuntimeCounters : IAsyncDisposable
{
    private const string MetricsProvider = "System.Diagnostics.Metrics";
    private readonly DiagnosticsClient _client;
    private readonly EventPipeSession _session;
    private readonly Task _processing;
    private readonly string _sessionId = Guid.NewGuid().ToString();
    private readonly ConcurrentDictionary<string, double> _latest = new();
    private readonly ConcurrentDictionary<string, double> _totals = new();
    private long _updates;

    private RuntimeCounters(int processId)
    {
        _client = new DiagnosticsClient(processId);
        var provider = new EventPipeProvider(MetricsProvider, EventLevel.Informational, keywords: 0x2 | 0x4, new Dictionary<string, string>
        {
            ["SessionId"] = _sessionId,
            ["Metrics"] = "System.Runtime,Switchboard",
            ["RefreshInterval"] = "1",
            ["MaxTimeSeries"] = "5000",
            ["MaxHistograms"] = "20",
        });
        _session = _client.StartEventPipeSession([provider], requestRundown: false, circularBufferMB: 64);
        var source = new EventPipeEventSource(_session.EventStream);
        source.Dynamic.All += OnEvent;
        _processing = Task.Run(source.Process);
    }

    public static RuntimeCounters Attach(int processId) => new(processId);

    /// <summary>The last value of an up-down counter or gauge, summed over its tag sets; null before the first report.</summary>
    public double? Latest(string instrument)
    {
        var values = _latest.Where(e => e.Key.StartsWith(instrument + "|", StringComparison.Ordinal)).Select(e => e.Value).ToList();
        return values.Count == 0 ? null : values.Sum();
    }

    /// <summary>The total a counter grew by since attaching, summed over its tag sets.</summary>
    public double Total(string instrument) =>
        _totals.Where(e => e.Key.StartsWith(instrument + "|", StringComparison.Ordinal)).Sum(e => e.Value);

    /// <summary>Waits until two more reports arrived, so that what happened before this call is counted.</summary>
    public async Task SettleAsync()
    {
        var target = Interlocked.Read(ref _updates) + 1;
        for (var i = 0; i < 100; i++)
        {
            var seen = Interlocked.Read(ref _updates);
            await Task.Delay(1100).ConfigureAwait(false);
            if (Interlocked.Read(ref _updates) > seen && seen >= target)
            {
                return;
            }

            target = Math.Max(target, seen + 1);
        }
    }

    /// <summary>Forces a blocking full GC in the process: a GC-heap-collect session, as dotnet-gcdump starts.</summary>
    public async Task ForceGcAsync()
    {
        const long gcKeyword = 0x1;
        const long gcHeapCollectKeyword = 0x800000;
        using var session = _client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, gcKeyword | gcHeapCollectKeyword)],
            requestRundown: false,
            circularBufferMB: 16);
        var source = new EventPipeEventSource(session.EventStream);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Dynamic.All += e =>
        {
            // GCEnd after the induced collection.
            if (e.EventName is "GC/Stop" or "GCEnd" || e.ID == (TraceEventID)2)
            {
                done.TrySetResult();
            }
        };
        var processing = Task.Run(source.Process);
        await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(20))).ConfigureAwait(false);
        await session.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await processing.WaitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _processing.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ServerNotAvailableException or TimeoutException or EndOfStreamException or IOException)
        {
            // The app already stopped.
        }

        _session.Dispose();
    }

    private void OnEvent(TraceEvent e)
    {
        if (e.ProviderName != MetricsProvider || e.PayloadByName("sessionId") as string != _sessionId)
        {
            return;
        }

        var key = $"{e.PayloadByName("instrumentName")}|{e.PayloadByName("tags")}";
        switch (e.EventName)
        {
            case "CounterRateValuePublished":
                if (TryNumber(e.PayloadByName("rate"), out var rate))
                {
                    _totals.AddOrUpdate(key, rate, (_, total) => total + rate);
                }

                // Observable counters also report what they observed (the thread pool's thread count and queue length).
                if (TryNumber(e.PayloadByName("value"), out var observed))
                {
                    _latest[key] = observed;
                }

                break;
            case "UpDownCounterRateValuePublished":
                if (TryNumber(e.PayloadByName("value"), out var value))
                {
                    _latest[key] = value;
                }

                break;
            case "GaugeValuePublished":
                if (TryNumber(e.PayloadByName("lastValue"), out var last))
                {
                    _latest[key] = last;
                }

                break;
            case "Collection/Stop" or "CollectionStop":
                Interlocked.Increment(ref _updates);
                break;
        }
    }

    private static bool TryNumber(object? payload, out double value) =>
        double.TryParse(payload as string, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
