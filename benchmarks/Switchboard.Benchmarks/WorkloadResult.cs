using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>
/// One run of one workload against one target. <see cref="Rate"/> is round trips per second (echo), deliveries per
/// second to the receivers (the broadcast workloads) or connections per second (idle); latencies are in milliseconds.
/// <see cref="Failure"/> is null when the run completed.
/// </summary>
internal sealed record WorkloadResult
{
    public required string Target { get; init; }

    public required string Workload { get; init; }

    /// <summary>0 for the warm-up run, then 1..N.</summary>
    public required int Run { get; init; }

    /// <summary>
    /// Messages the clients should have received in all: echo, connections × round trips; broadcast, messages ×
    /// (receivers + 1), since the sender's socket must get its own messages too (a stalled reader is not counted).
    /// </summary>
    public required long Expected { get; init; }

    /// <summary>Distinct messages received, counted like <see cref="Expected"/>.</summary>
    public required long Delivered { get; init; }

    public required double Seconds { get; init; }

    public required double Rate { get; init; }

    public double P50Ms { get; init; }

    public double P99Ms { get; init; }

    /// <summary>Expected but never received (on failure this includes what was never sent).</summary>
    public long Lost { get; init; }

    /// <summary>Received more than once.</summary>
    public long Duplicated { get; init; }

    /// <summary>Received after a message that was sent later.</summary>
    public long OutOfOrder { get; init; }

    /// <summary>Counted sockets the server closed or aborted during the run.</summary>
    public long Closed { get; init; }

    /// <summary>Corrupt or unexpected frames and connection errors.</summary>
    public long Errors { get; init; }

    /// <summary>Server CPU (user + system) per round trip, delivery or connection, in microseconds; null if unknown.</summary>
    public double? CpuMicrosPerMessage { get; init; }

    /// <summary>Why the run did not complete (timeout, stall, connection error); null if it did.</summary>
    public string? Failure { get; init; }

    /// <summary>Broadcast only: the sender's window (0: flat out).</summary>
    public int? Window { get; init; }

    /// <summary>Stall only: how the server ended the stalled socket ("1008 reason", "aborted", or "not closed ...").</summary>
    public string? StalledReader { get; init; }

    /// <summary>Stall workloads: the server's RSS during the run.</summary>
    public IReadOnlyList<RssSample>? RssSamples { get; init; }

    /// <summary>Idle only: resident memory added per idle connection, in KiB.</summary>
    public double? KiBPerConnection { get; init; }

    /// <summary>The server's memory right after this run.</summary>
    public MemoryReading? ServerMemory { get; init; }

    /// <summary>True when the run counts as correct: complete, nothing lost, duplicated, reordered, closed or broken.</summary>
    public bool Passed => Failure is null && Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && Closed == 0 && Errors == 0;

    /// <summary>A run that could not start (no connection); <paramref name="failure"/> says why.</summary>
    public static WorkloadResult NotRun(WorkloadContext context, string workload, string? failure) => new()
    {
        Target = context.Target,
        Workload = workload,
        Run = context.Run,
        Expected = 0,
        Delivered = 0,
        Seconds = 0,
        Rate = 0,
        Failure = failure ?? "could not start",
    };

    /// <summary>The result of a broadcast room's run: counts over the counted sockets, rate and latency over the receivers.</summary>
    public static WorkloadResult FromRoom(
        WorkloadContext context, string workload, BroadcastRoom room, int messages, long firstSendAt, double? cpuMicrosPerDelivery, string? failure)
    {
        var receivers = room.Receivers.ToArray();
        var expected = (long)messages * room.Counted.Length;
        var delivered = room.Delivered;
        var lastDeliveryAt = receivers.Max(r => r.LastDeliveryAt);
        var seconds = firstSendAt > 0 && lastDeliveryAt > firstSendAt ? Stopwatch.GetElapsedTime(firstSendAt, lastDeliveryAt).TotalSeconds : 0;
        var (p50, p99) = Latencies.Percentiles(receivers.Select(r => r.Latencies));
        return new WorkloadResult
        {
            Target = context.Target,
            Workload = workload,
            Run = context.Run,
            Expected = expected,
            Delivered = delivered,
            Seconds = seconds,
            Rate = seconds > 0 ? receivers.Sum(r => (long)r.Distinct) / seconds : 0,
            P50Ms = p50,
            P99Ms = p99,
            Lost = expected - delivered,
            Duplicated = room.Counted.Sum(r => (long)r.Duplicated),
            OutOfOrder = room.Counted.Sum(r => (long)r.OutOfOrder),
            Closed = room.Counted.Count(r => r.ClosedBy is not null),
            Errors = room.Counted.Sum(r => (long)r.Errors),
            CpuMicrosPerMessage = cpuMicrosPerDelivery,
            Failure = failure,
        };
    }
}
