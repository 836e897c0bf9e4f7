namespace Switchboard.Benchmarks;

/// <summary>
/// One run of one workload against one target. <see cref="Rate"/> is round trips per second (echo) or deliveries per
/// second (broadcast); latencies are in milliseconds. <see cref="Failure"/> is null when the run completed.
/// </summary>
internal sealed record WorkloadResult
{
    public required string Target { get; init; }

    public required string Workload { get; init; }

    /// <summary>0 for the warm-up run, then 1..N.</summary>
    public required int Run { get; init; }

    /// <summary>
    /// Messages the clients should have received in all: echo, connections × round trips; broadcast, messages × (receivers + 1),
    /// since the sender's socket must get its own messages too.
    /// </summary>
    public required long Expected { get; init; }

    /// <summary>Distinct messages received, counted like <see cref="Expected"/>.</summary>
    public required long Delivered { get; init; }

    public required double Seconds { get; init; }

    public required double Rate { get; init; }

    public required double P50Ms { get; init; }

    public required double P99Ms { get; init; }

    /// <summary>Expected but never received (on failure this includes what was never sent).</summary>
    public required long Lost { get; init; }

    /// <summary>Received more than once.</summary>
    public required long Duplicated { get; init; }

    /// <summary>Received after a message that was sent later.</summary>
    public required long OutOfOrder { get; init; }

    /// <summary>Corrupt or unexpected frames and connection errors.</summary>
    public required long Errors { get; init; }

    /// <summary>Why the run did not complete (timeout, stall, connection error); null if it did.</summary>
    public string? Failure { get; init; }

    /// <summary>Broadcast only: the sender's window.</summary>
    public int? Window { get; init; }

    /// <summary>The server's memory right after this run.</summary>
    public MemoryReading? ServerMemory { get; init; }

    /// <summary>True when the run counts as correct: complete, nothing lost, duplicated, reordered or broken.</summary>
    public bool Passed => Failure is null && Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Errors == 0;
}
