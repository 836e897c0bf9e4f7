using System.Collections;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Switchboard.Tracing.Tests;

/// <summary>
/// Switchboard's spans, exported through the OpenTelemetry SDK into memory (OpenTelemetry.Exporter.InMemory) while the
/// capture lives: linked as source into every test project that checks traces. The SDK's listener is process-wide, so
/// tests that use one run in a collection that runs alone (<c>DisableParallelization</c>).
/// </summary>
internal sealed class TraceCapture : IDisposable
{
    private readonly SpanList _spans = new();
    private readonly TracerProvider _provider;

    /// <param name="aspNetCore">Whether ASP.NET Core's request activities (source <c>Microsoft.AspNetCore</c>) are sampled too.</param>
    public TraceCapture(bool aspNetCore = false)
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddSource(SwitchboardDiagnostics.ActivitySourceName);
        if (aspNetCore)
        {
            builder.AddSource("Microsoft.AspNetCore");
        }

        _provider = builder.AddInMemoryExporter(_spans).Build()!;
    }

    /// <summary>Gets the spans ended so far, in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => _spans.Snapshot();

    /// <summary>Waits, at most <paramref name="timeout"/> (default 10 s), until the ended spans satisfy <paramref name="done"/>.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<IReadOnlyList<Activity>, bool> done, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (true)
        {
            var spans = Spans;
            if (done(spans))
            {
                return spans;
            }

            if (deadline.Elapsed > limit)
            {
                Assert.Fail($"The spans did not arrive within {limit}; ended: "
                    + string.Join(", ", spans.Select(static s => $"{s.OperationName} '{s.DisplayName}'")));
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits for one ended span matching <paramref name="match"/> and returns it.</summary>
    public async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match) =>
        (await WaitForAsync(spans => spans.Any(match))).First(match);

    public void Dispose() => _provider.Dispose();

    /// <summary>The exporter's collection: the SDK adds from whichever thread ends a span, the test reads meanwhile.</summary>
    private sealed class SpanList : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public Activity[] Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }
}
