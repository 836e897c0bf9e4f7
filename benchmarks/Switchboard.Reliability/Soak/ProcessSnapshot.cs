using System.Globalization;

namespace Switchboard.Reliability.Soak;

/// <summary>What the process holds at one moment, from /proc and its runtime counters.</summary>
internal sealed record ProcessSnapshot(string Label)
{
    public long RssBytes { get; init; }

    public int OpenFiles { get; init; }

    public int Threads { get; init; }

    public double? TimerCount { get; init; }

    public double? ThreadPoolThreads { get; init; }

    public double? ThreadPoolQueue { get; init; }

    public double? GcHeapBytes { get; init; }

    /// <summary>Gets the memory the GC kept committed after its last collection (heap, free space it holds, bookkeeping).</summary>
    public double? GcCommittedBytes { get; init; }

    public double? ActiveConnections { get; init; }

    /// <summary>Gets how many methods the JIT compiled so far (tiering recompiles hot ones), which native memory follows.</summary>
    public double? JitCompiledMethods { get; init; }

    /// <summary>
    /// Gets RSS less the free memory the GC keeps committed (committed less the heap): what the process holds for itself.
    /// After a forced full GC the server GC still keeps about one gen0 budget committed, and that budget, adapted at run
    /// time, swings RSS by tens of MiB from one snapshot to the next with the same live heap.
    /// </summary>
    public long HeldBytes => RssBytes - (long)Math.Max(0, (GcCommittedBytes ?? 0) - (GcHeapBytes ?? 0));

    /// <summary>Reads /proc/PID/status (VmRSS, Threads) and counts /proc/PID/fd, then the counters' last reports.</summary>
    public static ProcessSnapshot Take(string label, int processId, RuntimeCounters counters)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            var parts = line.Split(':', 2);
            if (parts[0] == "VmRSS")
            {
                rss = long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            else if (parts[0] == "Threads")
            {
                threads = int.Parse(parts[1].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessSnapshot(label)
        {
            RssBytes = rss,
            Threads = threads,
            OpenFiles = Directory.GetFileSystemEntries($"/proc/{processId}/fd").Length,
            TimerCount = counters.Latest("dotnet.timer.count"),
            ThreadPoolThreads = counters.Latest("dotnet.thread_pool.thread.count"),
            ThreadPoolQueue = counters.Latest("dotnet.thread_pool.queue.length"),
            GcHeapBytes = counters.Latest("dotnet.gc.last_collection.heap.size"),
            GcCommittedBytes = counters.Latest("dotnet.gc.last_collection.memory.committed_size"),
            ActiveConnections = counters.Latest("switchboard.server.active_connections"),
            JitCompiledMethods = counters.Latest("dotnet.jit.compiled_methods"),
        };
    }

    public override string ToString() =>
        FormattableString.Invariant(
            $"{Label,-22} RSS {RssBytes / 1048576.0,7:F1} MiB (held {HeldBytes / 1048576.0,6:F1})  GC heap {GcHeapBytes / 1048576.0,5:F1} MiB (committed {GcCommittedBytes / 1048576.0,5:F1})  timers {TimerCount,5}  fds {OpenFiles,5}  threads {Threads,3}  pool threads {ThreadPoolThreads,3}  pool queue {ThreadPoolQueue,3}  connections {ActiveConnections,5}  jitted {JitCompiledMethods,6}");
}
