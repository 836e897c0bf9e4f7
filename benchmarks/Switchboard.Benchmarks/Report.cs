using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Benchmarks;

/// <summary>Renders the results: a table on the console, the same table as Markdown, and JSON with every run for charting.</summary>
internal sealed class Report(BenchmarkOptions options, IReadOnlyList<WorkloadResult> results, DateTimeOffset startedAt)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly (string Header, bool Right, Func<SummaryRow, string> Cell)[] s_columns =
    [
        ("target", false, r => r.Target),
        ("workload", false, r => r.Workload + (r.Window is { } w ? $" (W={w})" : "")),
        ("msgs/s", true, r => r.Rate.ToString("N0", CultureInfo.InvariantCulture)),
        ("p50 ms", true, r => r.P50Ms.ToString("0.000", CultureInfo.InvariantCulture)),
        ("p99 ms", true, r => r.P99Ms.ToString("0.000", CultureInfo.InvariantCulture)),
        ("vs ceiling", true, r => r.RatioToCeiling is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-"),
        ("lost/dup/ooo/err", true, r => $"{r.Lost}/{r.Duplicated}/{r.OutOfOrder}/{r.Errors}"),
        ("peak RSS MiB", true, r => Mebibytes(r.ServerMemory?.PeakKiB)),
        ("RSS MiB", true, r => Mebibytes(r.ServerMemory?.CurrentKiB)),
        ("status", false, r => r.Status),
    ];

    private readonly IReadOnlyList<SummaryRow> _rows = SummaryRow.Summarize(results);

    /// <summary>How the reported run is chosen.</summary>
    private string Aggregation => options.Repeat == 1
        ? "one measured run per workload (after a warm-up run)"
        : $"the median of {options.Repeat} measured runs by msgs/s (lower middle for an even count), after a warm-up run; lost/dup/ooo/err are summed over the runs";

    /// <summary>Writes the table to <paramref name="writer"/>.</summary>
    public void WriteTable(TextWriter writer)
    {
        var cells = _rows.Select(r => s_columns.Select(c => c.Cell(r)).ToArray()).ToList();
        var widths = s_columns.Select((c, i) => cells.Select(row => row[i].Length).Append(c.Header.Length).Max()).ToArray();
        string Line(IEnumerable<string> values) =>
            string.Join("  ", values.Select((v, i) => s_columns[i].Right ? v.PadLeft(widths[i]) : v.PadRight(widths[i]))).TrimEnd();

        writer.WriteLine(Line(s_columns.Select(c => c.Header)));
        foreach (var row in cells)
        {
            writer.WriteLine(Line(row));
        }

        writer.WriteLine($"Rows show {Aggregation}. msgs/s: echo round trips, or broadcast deliveries to the receivers.");
    }

    /// <summary>Writes <c>latest.md</c>, <c>latest.json</c> and a time-stamped JSON copy to <paramref name="directory"/>.</summary>
    /// <returns>The paths written.</returns>
    public IReadOnlyList<string> WriteFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var markdown = Path.Combine(directory, "latest.md");
        var json = Path.Combine(directory, "latest.json");
        var stamped = Path.Combine(directory, $"{startedAt.UtcDateTime:yyyyMMdd-HHmmss}.json");
        File.WriteAllText(markdown, Markdown());
        var document = JsonSerializer.Serialize(
            new
            {
                startedAtUtc = startedAt.UtcDateTime,
                machine = Machine(),
                options = options.Describe().ToDictionary(p => p.Key, p => p.Value),
                aggregation = Aggregation,
                summary = _rows,
                runs = results,
            },
            s_json);
        File.WriteAllText(json, document);
        File.WriteAllText(stamped, document);
        return [markdown, json, stamped];
    }

    private string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Switchboard benchmark results").AppendLine();
        md.AppendLine($"Run at {startedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC on {string.Join(", ", Machine().Select(p => $"{p.Key} {p.Value}"))}.").AppendLine();
        md.AppendLine($"Options: {string.Join(", ", options.Describe().Select(p => $"{p.Key} {p.Value}"))}.").AppendLine();
        md.AppendLine($"Rows show {Aggregation}. msgs/s: echo round trips, or broadcast deliveries to the receivers. RSS: the server process after its last run (peak = VmHWM).").AppendLine();
        md.AppendLine("| " + string.Join(" | ", s_columns.Select(c => c.Header)) + " |");
        md.AppendLine("|" + string.Join("|", s_columns.Select(c => c.Right ? "---:" : "---")) + "|");
        foreach (var row in _rows)
        {
            md.AppendLine("| " + string.Join(" | ", s_columns.Select(c => c.Cell(row).Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }

        md.AppendLine().AppendLine("## Every run").AppendLine();
        md.AppendLine("| target | workload | run | msgs/s | p50 ms | p99 ms | seconds | delivered/expected | lost/dup/ooo/err | failure |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            md.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Target} | {r.Workload} | {(r.Run == 0 ? "warm-up" : r.Run)} | {r.Rate:N0} | {r.P50Ms:0.000} | {r.P99Ms:0.000} | {r.Seconds:0.00} | {r.Delivered}/{r.Expected} | {r.Lost}/{r.Duplicated}/{r.OutOfOrder}/{r.Errors} | {r.Failure ?? ""} |"));
        }

        return md.ToString();
    }

    private static Dictionary<string, string> Machine() => new()
    {
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
        ["architecture"] = RuntimeInformation.ProcessArchitecture.ToString(),
    };

    private static string Mebibytes(long? kib) =>
        kib is { } k ? (k / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";
}
