namespace Switchboard.Benchmarks;

/// <summary>
/// One line of the report: a target's workload, from its median measured run (by rate), with the correctness counts
/// summed over all its measured runs and the server's memory after the last one.
/// </summary>
internal sealed record SummaryRow
{
    public required string Target { get; init; }

    public required string Workload { get; init; }

    public required int Runs { get; init; }

    /// <summary>The median run by rate (the lower middle for an even count).</summary>
    public required WorkloadResult Median { get; init; }

    public required long Lost { get; init; }

    public required long Duplicated { get; init; }

    public required long OutOfOrder { get; init; }

    public required long Closed { get; init; }

    public required long Errors { get; init; }

    /// <summary>"ok", or the first failure among the runs.</summary>
    public required string Status { get; init; }

    public MemoryReading? ServerMemory { get; init; }

    /// <summary>True when nothing was lost, duplicated, reordered, closed or broken in any measured run.</summary>
    public bool Clean => Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Closed == 0 && Errors == 0;

    /// <summary>"lost/dup/ooo/closed/err".</summary>
    public string Counts => $"{Lost}/{Duplicated}/{OutOfOrder}/{Closed}/{Errors}";

    /// <summary>Builds one row per target and workload, in run order.</summary>
    public static IReadOnlyList<SummaryRow> Summarize(IReadOnlyList<WorkloadResult> results) =>
        results.Where(r => r.Run > 0)
            .GroupBy(r => (r.Target, r.Workload))
            .Select(g => FromRuns(g.ToList()))
            .ToList();

    private static SummaryRow FromRuns(List<WorkloadResult> runs)
    {
        // The lower middle for an even count: a conservative median.
        var median = runs.OrderBy(r => r.Rate).ElementAt((runs.Count - 1) / 2);
        var failed = runs.FirstOrDefault(r => !r.Passed);
        return new SummaryRow
        {
            Target = median.Target,
            Workload = median.Workload,
            Runs = runs.Count,
            Median = median,
            Lost = runs.Sum(r => r.Lost),
            Duplicated = runs.Sum(r => r.Duplicated),
            OutOfOrder = runs.Sum(r => r.OutOfOrder),
            Closed = runs.Sum(r => r.Closed),
            Errors = runs.Sum(r => r.Errors),
            Status = failed is null ? "ok" : $"FAILED (run {failed.Run}: {failed.Failure ?? "lost, duplicated, reordered or closed"})",
            ServerMemory = runs[^1].ServerMemory,
        };
    }
}
