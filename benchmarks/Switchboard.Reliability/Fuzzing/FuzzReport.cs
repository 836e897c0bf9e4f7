using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>The figures of a fuzz run, for the console and docs/reliability.md.</summary>
internal sealed record FuzzReport
{
    public required FuzzOptions Options { get; init; }

    public required IReadOnlyDictionary<string, int> Tried { get; init; }

    public required IReadOnlyDictionary<string, int> Outcomes { get; init; }

    public required IReadOnlyList<string> Failures { get; init; }

    public required IReadOnlyList<LogRecord> UnexpectedLogs { get; init; }

    public required long CalmSent { get; init; }

    public required long CalmReceived { get; init; }

    public required long CalmLost { get; init; }

    public required IReadOnlyList<string> CalmProblems { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public bool Passed => Failures.Count == 0 && UnexpectedLogs.Count == 0 && CalmLost == 0 && CalmProblems.Count == 0;

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"fuzz: seed {Options.Seed}, {Elapsed.TotalSeconds:F0} s, {Tried.Values.Sum():N0} inputs");
        foreach (var (inputClass, count) in Tried.OrderBy(t => FuzzOptions.AllClasses.ToList().IndexOf(t.Key)))
        {
            text.AppendLine($"  {inputClass}: {count:N0} inputs");
            foreach (var (outcome, n) in Outcomes.Where(o => o.Key.StartsWith(inputClass + ":", StringComparison.Ordinal)).OrderByDescending(o => o.Value))
            {
                text.AppendLine($"    {outcome[(inputClass.Length + 2)..],-40} {n,8:N0}");
            }
        }

        text.AppendLine($"  well-behaved clients: {Options.CalmClients}, {CalmSent:N0} messages sent, {CalmReceived:N0} received (each member gets every message), lost: {CalmLost}");
        foreach (var problem in CalmProblems.Take(20))
        {
            text.AppendLine($"    PROBLEM {problem}");
        }

        text.AppendLine($"  unexpected log entries (Error, Critical, or a warning no input explains): {UnexpectedLogs.Count}");
        foreach (var entry in UnexpectedLogs.Take(20))
        {
            text.AppendLine($"    {entry}");
        }

        text.AppendLine($"  failures: {Failures.Count}");
        foreach (var failure in Failures.Take(50))
        {
            text.AppendLine($"    {failure}");
        }

        text.AppendLine(Passed ? "fuzz: PASSED" : "fuzz: FAILED");
        return text.ToString();
    }
}
