namespace Switchboard.Benchmarks;

/// <summary>What a workload run gets: the server under test, how its clients speak, the options, and the run number.</summary>
internal sealed record WorkloadContext(ServerProcess Server, TargetDefinition Definition, BenchmarkOptions Options, int Run, CancellationToken CancellationToken)
{
    /// <summary>How the target's clients speak.</summary>
    public WireProtocol Protocol => Definition.Protocol;

    /// <summary>The target's other server processes (<c>--processes</c>), sharing its channel layer; empty by default.</summary>
    public IReadOnlyList<ServerProcess> Peers { get; init; } = [];

    /// <summary>The target's name.</summary>
    public string Target => Server.Name;

    /// <summary>The share of the work this run does: the target's <see cref="TargetDefinition.WorkScale"/>, and a quarter of that for the warm-up (run 0, checked but not reported).</summary>
    public double Share => Definition.WorkScale * (Run == 0 ? 0.25 : 1);

    /// <summary><paramref name="count"/> scaled by <see cref="Share"/>, at least 1.</summary>
    public int Scaled(int count) => Math.Max(1, (int)(count * Share));

    /// <summary>The server's CPU seconds so far (<c>/proc/PID/stat</c>), of all its processes; null if unknown.</summary>
    public double? CpuSeconds()
    {
        var total = Server.ReadCpuSeconds();
        foreach (var peer in Peers)
        {
            total += peer.ReadCpuSeconds();
        }

        return total;
    }

    /// <summary>The server CPU used since <paramref name="before"/>, per message, in microseconds; null if unknown.</summary>
    public double? CpuMicrosPer(double? before, long messages) =>
        before is { } b && CpuSeconds() is { } after && messages > 0 ? (after - b) * 1e6 / messages : null;
}
