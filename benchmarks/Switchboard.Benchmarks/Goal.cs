namespace Switchboard.Benchmarks;

/// <summary>One performance goal of issue 5: what it asks, what was measured, and whether it is met (null: not measured).</summary>
internal sealed record Goal(string Workload, string Description, string Measured, bool? Met)
{
    /// <summary>"met", "NOT MET" or "not measured".</summary>
    public string Verdict => Met switch { true => "met", false => "NOT MET", null => "not measured" };
}
