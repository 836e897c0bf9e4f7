using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>Latency samples in <see cref="Stopwatch"/> ticks, one fixed array per connection (no allocation while measuring).</summary>
internal sealed class Latencies(int capacity)
{
    private readonly long[] _samples = new long[capacity];

    /// <summary>How many samples were recorded.</summary>
    public int Count { get; private set; }

    /// <summary>Records one sample; extra samples beyond the capacity are dropped.</summary>
    public void Add(long ticks)
    {
        if (Count < _samples.Length)
        {
            _samples[Count++] = ticks;
        }
    }

    /// <summary>The p50 and p99 (nearest rank) of all samples, in milliseconds; zeros when there are none.</summary>
    public static (double P50Ms, double P99Ms) Percentiles(IEnumerable<Latencies> all)
    {
        var merged = all.SelectMany(l => l._samples.Take(l.Count)).ToArray();
        if (merged.Length == 0)
        {
            return (0, 0);
        }

        Array.Sort(merged);
        return (Milliseconds(Rank(merged, 0.50)), Milliseconds(Rank(merged, 0.99)));
    }

    /// <summary>Converts <see cref="Stopwatch"/> ticks to milliseconds.</summary>
    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static long Rank(long[] sorted, double quantile) =>
        sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
