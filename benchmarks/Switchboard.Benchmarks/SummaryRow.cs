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

    public required double Rate { get; init; }

    public required double P50Ms { get; init; }

    public required double P99Ms { get; init; }

    /// <summary>Rate ÷ the ceiling's rate for the same workload; null without a ceiling result.</summary>
    public double? RatioToCeiling { get; init; }

    public required long Lost { get; init; }

    public required long Duplicated { get; init; }

    public required long OutOfOrder { get; init; }

    public required long Errors { get; init; }

    /// <summary>"ok", or the first failure among the runs.</summary>
    public required string Status { get; init; }

    public int? Window { get; init; }

    public MemoryReading? ServerMemory { get; init; }

    /// <summary>Builds one row per target and workload, in run order.</summary>
    public static IReadOnlyList<SummaryRow> Summarize(IReadOnlyList<WorkloadResult> results)
    {
        var rows = results.Where(r => r.Run > 0)
            .GroupBy(r => (r.Target, r.Workload))
            .Select(g => FromRuns(g.ToList()))
            .ToList();
        return rows.Select(row =>
        {
            var ceiling = rows.FirstOrDefault(c => c.Target == "ceiling" && c.Workload == row.Workload);
            return row with { RatioToCeiling = ceiling is { Rate: > 0 } ? row.Rate / ceiling.Rate : null };
        }).ToList();
    }

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
            Rate = median.Rate,
            P50Ms = median.P50Ms,
            P99Ms = median.P99Ms,
            Lost = runs.Sum(r => r.Lost),
            Duplicated = runs.Sum(r => r.Duplicated),
            OutOfOrder = runs.Sum(r => r.OutOfOrder),
            Errors = runs.Sum(r => r.Errors),
            Status = failed is null ? "ok" : $"FAILED (run {failed.Run}: {failed.Failure ?? "incorrect deliveries"})",
            Window = median.Window,
            ServerMemory = runs[^1].ServerMemory,
        };
    }
}
