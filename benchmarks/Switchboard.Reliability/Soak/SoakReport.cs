using System.Text;

namespace Switchboard.Reliability.Soak;

/// <summary>The figures of a soak, and its verdict.</summary>
internal sealed class SoakReport
{
    public List<string> Lines { get; } = [];

    public List<string> Problems { get; } = [];

    public bool Passed => Problems.Count == 0;

    public void Check(bool ok, string what)
    {
        Lines.Add($"  {(ok ? "ok  " : "FAIL")} {what}");
        if (!ok)
        {
            Problems.Add(what);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in Lines)
        {
            text.AppendLine(line);
        }

        text.AppendLine(Passed ? "soak: PASSED" : $"soak: FAILED ({Problems.Count} checks)");
        return text.ToString();
    }
}
