namespace Switchboard.Benchmarks;

/// <summary>One memory sample: seconds since sampling started, and the server's VmRSS in KiB.</summary>
internal sealed record RssSample(double Seconds, long KiB);
