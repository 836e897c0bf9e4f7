using System.Numerics;

namespace Switchboard;

/// <summary>
/// A running total for the per-message hot paths, read by an <see cref="System.Diagnostics.Metrics.ObservableCounter{T}"/>
/// when a listener collects. Each add goes to a cell chosen by the current processor, 64 bytes from the next, so that
/// threads on different cores never write one cache line.
/// </summary>
/// <remarks>
/// Why not a <see cref="System.Diagnostics.Metrics.Counter{T}"/>: every <c>Add</c> on one is handed to each listener as it
/// happens, and the OpenTelemetry SDK then looks up the tag set and updates a shared point. For a message that costs
/// about 0.6 µs to deliver, that doubled the server's CPU per delivery (the flatout benchmark, docs/benchmarks.md). The
/// runtime's own high-rate instruments (<c>dotnet.thread_pool.work_item.count</c>) are observable for the same reason.
/// </remarks>
internal sealed class StripedCounter
{
    // Longs per cell: 8 x 8 bytes, one cache line.
    private const int Stride = 8;

    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var cells = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));
        _mask = cells - 1;

        // One spare cell in front, so that the first one does not share a line with the array's length.
        _cells = new long[(cells + 1) * Stride];
    }

    public void Add(long value) => Interlocked.Add(ref _cells[((Thread.GetCurrentProcessorId() & _mask) + 1) * Stride], value);

    /// <summary>Gets the total so far; adds racing with the read land in this total or the next.</summary>
    public long Sum()
    {
        long sum = 0;
        for (var cell = Stride; cell < _cells.Length; cell += Stride)
        {
            sum += Volatile.Read(ref _cells[cell]);
        }

        return sum;
    }
}
