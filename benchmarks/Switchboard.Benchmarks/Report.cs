using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Benchmarks;

/// <summary>
/// Renders the results: per workload, a table with every target side by side and its ratios to Switchboard (the
/// <c>chat</c> target); the goals of issue 5; SVG charts; and JSON with every run. The same Markdown goes to the
/// console, to <c>latest.md</c> and, with <c>--docs</c>, into docs/benchmarks.md.
/// </summary>
internal sealed class Report(
    BenchmarkOptions options,
    IReadOnlyList<WorkloadResult> results,
    IReadOnlyDictionary<string, string> titles,
    IReadOnlyList<string> notes,
    DateTimeOffset startedAt,
    string commit)
{
    /// <summary>The chart files, by name, each with its alternative text.</summary>
    public static readonly (string File, string Alt)[] Charts =
    [
        ("benchmarks-throughput.svg", "throughput per workload and target"),
        ("benchmarks-cpu.svg", "server CPU per message per workload and target"),
        ("benchmarks-idle.svg", "memory per idle connection and connections per second"),
        ("benchmarks-stall-rss.svg", "server RSS during the stalled-reader run"),
    ];

    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IReadOnlyList<SummaryRow> _rows = SummaryRow.Summarize(results);

    /// <summary>The goals of issue 5, checked on this run.</summary>
    public IReadOnlyList<Goal> Goals => Benchmarks.Goals.Evaluate(_rows);

    private string Aggregation => (options.Repeat == 1
        ? "one measured run per workload"
        : $"the median of {options.Repeat} measured runs by rate (lower middle for an even count; lost/dup/ooo/closed/err summed over the runs)")
        + $" after warm-up rounds of every workload at a quarter of its work, repeated for at least {options.Warmup.TotalSeconds:0} s per target (idle: one run on a fresh server)";

    /// <summary>
    /// The results section: what was run, the goals, the charts (when <paramref name="withCharts"/>), and one table per
    /// workload.
    /// </summary>
    public string Markdown(bool withCharts)
    {
        var md = new StringBuilder();
        var machine = string.Join(", ", Machine().Select(p => $"{p.Key} {p.Value}"));
        var command = $"benchmarks/run.sh {options.CommandLine}".TrimEnd();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {startedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC at commit `{commit}` on {machine}, with `{command}`; rows show {Aggregation}.").AppendLine();
        foreach (var line in notes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- {line}.");
        }

        if (notes.Count > 0)
        {
            md.AppendLine();
        }

        md.AppendLine("### Goals").AppendLine();
        md.AppendLine("| goal | measured | verdict |").AppendLine("|---|---:|---|");
        foreach (var goal in Goals)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Escape(goal.Description)} | {Escape(goal.Measured)} | {goal.Verdict} |");
        }

        md.AppendLine();
        if (withCharts)
        {
            foreach (var (file, alt) in Charts)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"![{alt}]({file})");
            }

            md.AppendLine();
        }

        foreach (var workload in BenchmarkOptions.AllWorkloads.SelectMany(Expand))
        {
            var rows = _rows.Where(r => r.Workload == workload).ToList();
            if (rows.Count > 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"### {Describe(workload)}").AppendLine();
                Table(md, workload, rows);
                md.AppendLine();
            }
        }

        md.AppendLine("Counts are lost/dup/ooo/closed/err: expected but never received (after a 2 s grace period without deliveries), received twice, received after a later message, sockets the server closed, and broken frames or connection errors. CPU is the server process's user + system time (`/proc/PID/stat`) from the first send to the last delivery, divided by the round trips, deliveries (the sender's own included) or connections. Ratios are Switchboard's value divided by the row's: above 1 is better for Switchboard in rates, below 1 in CPU and memory.");
        return md.ToString();
    }

    /// <summary>Writes <c>latest.md</c>, <c>latest.json</c>, a time-stamped JSON copy and the charts to <paramref name="directory"/>.</summary>
    /// <returns>The paths written.</returns>
    public IReadOnlyList<string> WriteFiles(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(string name, string text)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, text);
            written.Add(path);
        }

        Write("latest.md", "# Switchboard benchmark results\n\n" + Markdown(withCharts: true));
        var document = JsonSerializer.Serialize(
            new
            {
                startedAtUtc = startedAt.UtcDateTime,
                commit,
                machine = Machine(),
                options = options.Describe().ToDictionary(p => p.Key, p => p.Value),
                aggregation = Aggregation,
                notes,
                goals = Goals,
                summary = _rows,
                runs = results,
            },
            s_json);
        Write("latest.json", document);
        Write($"{startedAt.UtcDateTime:yyyyMMdd-HHmmss}.json", document);
        foreach (var (file, svg) in ChartFiles())
        {
            Write(file, svg);
        }

        return written;
    }

    /// <summary>The SVG charts, by file name.</summary>
    public IEnumerable<(string File, string Svg)> ChartFiles()
    {
        var order = _rows.Select(r => r.Target).Distinct().ToList();
        IEnumerable<ChartPanel> Panels(Func<SummaryRow, double?> value, Func<string, string> unit, string format, params string[] workloads) =>
            workloads.Select(w => new ChartPanel(
                $"{w}: {unit(w)}",
                _rows.Where(r => r.Workload == w && value(r) is > 0)
                    .Select(r => new ChartBar(r.Target, value(r)!.Value, value(r)!.Value.ToString(format, CultureInfo.InvariantCulture) + (r.Clean ? "" : " (lossy)")))
                    .ToList()))
                .Where(p => p.Bars.Count > 0);

        string[] rated = [EchoWorkload.Name, BroadcastWorkload.Windowed, BroadcastWorkload.FlatOut, BroadcastWorkload.Burst, StallWorkload.Steady, StallWorkload.Stalled];
        yield return (Charts[0].File, SvgChart.Bars("Throughput (higher is better)", Panels(r => r.Median.Rate, Benchmarks.Goals.Unit, "N0", rated).ToList()));
        yield return (Charts[1].File, SvgChart.Bars("Server CPU per message, µs (lower is better)", Panels(r => r.Median.CpuMicrosPerMessage, w => w == EchoWorkload.Name ? "µs per round trip" : "µs per delivery", "0.000", rated).ToList()));
        yield return (Charts[2].File, SvgChart.Bars(
            $"Idle connections ({options.IdleConnections:N0} on a fresh server)",
            [
                .. Panels(r => r.Median.KiBPerConnection, _ => "KiB of RSS per connection (lower is better)", "0.0", IdleWorkload.Name),
                .. Panels(r => r.Median.Rate, _ => "connections per second (higher is better)", "N0", IdleWorkload.Name),
            ]));
        var series = _rows.Where(r => r.Workload == StallWorkload.Stalled && r.Median.RssSamples is { Count: > 0 })
            .Select(r => new ChartSeries(r.Target, r.Median.RssSamples!.Select(s => (s.Seconds, s.KiB / 1024.0)).ToList()))
            .ToList();
        yield return (Charts[3].File, SvgChart.Lines("Server RSS during the stalled-reader run (MiB over seconds)", series, order));
    }

    private static IEnumerable<string> Expand(string workload) =>
        workload == StallWorkload.Stalled ? [StallWorkload.Steady, StallWorkload.Stalled] : [workload];

    private string Describe(string workload) => workload switch
    {
        EchoWorkload.Name => $"echo: {options.Connections} connections, each {options.RoundTrips:N0} sequential round trips of {options.Size} bytes",
        BroadcastWorkload.Windowed => options.Window > 0
            ? $"broadcast: {options.Messages:N0} messages to {options.Receivers} readers + the sender, the sender at most {options.Window} ahead of the slowest"
            : $"broadcast: {options.Messages:N0} messages back to back to {options.Receivers} readers + the sender (--window 0)",
        BroadcastWorkload.FlatOut => $"flatout: {options.FlatOutMessages:N0} messages back to back to {options.Receivers} readers + the sender",
        BroadcastWorkload.Burst => $"burst: {options.BurstMessages:N0} messages back to back to {options.Receivers} readers + the sender",
        StallWorkload.Steady => $"steady: {options.StallRate:N0} messages/s of {options.StallSize} characters for {options.StallSeconds.TotalSeconds:0} s to {options.Receivers} readers + the sender",
        StallWorkload.Stalled => "stall: the same with one more socket in the room that stops reading",
        IdleWorkload.Name => $"idle: {options.IdleConnections:N0} idle sockets on a freshly started server",
        _ => workload,
    };

    private void Table(StringBuilder md, string workload, List<SummaryRow> rows)
    {
        var chat = rows.FirstOrDefault(r => r.Target == "chat");
        string Ratio(double? mine, double? theirs, string format = "0.00") =>
            mine is > 0 && theirs is > 0 ? (mine.Value / theirs.Value).ToString(format, CultureInfo.InvariantCulture) + "×" : "-";
        string Title(SummaryRow r) => titles.TryGetValue(r.Target, out var t) ? $"{r.Target} ({t})" : r.Target;

        if (workload == IdleWorkload.Name)
        {
            md.AppendLine("| target | KiB per connection | Switchboard ÷ this | connections/s | Switchboard ÷ this | server CPU µs per connection | RSS MiB with all open | status |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in rows)
            {
                var m = r.Median;
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Title(r)} | {N(m.KiBPerConnection, "0.0")} | {Ratio(chat?.Median.KiBPerConnection, m.KiBPerConnection)} | {m.Rate:N0} | {Ratio(chat?.Median.Rate, m.Rate)} | {N(m.CpuMicrosPerMessage, "0.0")} | {Mebibytes(m.ServerMemory?.CurrentKiB)} | {Escape(r.Status)} |");
            }

            return;
        }

        var stall = workload == StallWorkload.Stalled;
        var unit = Benchmarks.Goals.Unit(workload);
        var per = workload == EchoWorkload.Name ? "round trip" : "delivery";
        md.AppendLine($"| target | {unit} | Switchboard ÷ this | p50 ms | p99 ms | server CPU µs per {per} | Switchboard ÷ this | lost/dup/ooo/closed/err | peak RSS MiB |{(stall ? " vs steady | stalled socket |" : "")} status |");
        md.AppendLine($"|---|---:|---:|---:|---:|---:|---:|---:|---:|{(stall ? "---:|---|" : "")}---|");
        foreach (var r in rows)
        {
            var m = r.Median;
            var peak = m.RssSamples is { Count: > 0 } samples ? samples.Max(s => s.KiB) : m.ServerMemory?.PeakKiB;
            var stallCells = "";
            if (stall)
            {
                var steady = _rows.FirstOrDefault(s => s.Target == r.Target && s.Workload == StallWorkload.Steady);
                stallCells = $" {Ratio(m.Rate, steady?.Median.Rate)} | {Escape(m.StalledReader ?? "-")} |";
            }

            md.AppendLine(CultureInfo.InvariantCulture, $"| {Title(r)} | {m.Rate:N0} | {Ratio(chat?.Median.Rate, m.Rate)} | {m.P50Ms:0.000} | {m.P99Ms:0.000} | {N(m.CpuMicrosPerMessage, "0.000")} | {Ratio(chat?.Median.CpuMicrosPerMessage, m.CpuMicrosPerMessage)} | {r.Counts} | {Mebibytes(peak)} |{stallCells} {Escape(r.Status)} |");
        }
    }

    private static Dictionary<string, string> Machine() => new()
    {
        ["cores"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["os"] = RuntimeInformation.OSDescription,
        ["runtime"] = RuntimeInformation.FrameworkDescription,
    };

    private static string N(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Mebibytes(long? kib) =>
        kib is { } k ? (k / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
