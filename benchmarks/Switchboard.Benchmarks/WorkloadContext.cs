namespace Switchboard.Benchmarks;

/// <summary>What a workload run gets: the server under test, how its clients speak, the options, and the run number.</summary>
internal sealed record WorkloadContext(ServerProcess Server, WireProtocol Protocol, BenchmarkOptions Options, int Run, CancellationToken CancellationToken)
{
    /// <summary>The target's name.</summary>
    public string Target => Server.Name;

    /// <summary>Run 0 is the warm-up: a quarter of the work, checked but not reported.</summary>
    public int Scaled(int count) => Run == 0 ? Math.Max(1, count / 4) : count;

    /// <summary>The server's CPU seconds so far (<c>/proc/PID/stat</c>); null if unknown.</summary>
    public double? CpuSeconds() => Server.ReadCpuSeconds();

    /// <summary>The server CPU used since <paramref name="before"/>, per message, in microseconds; null if unknown.</summary>
    public double? CpuMicrosPer(double? before, long messages) =>
        before is { } b && CpuSeconds() is { } after && messages > 0 ? (after - b) * 1e6 / messages : null;
}
