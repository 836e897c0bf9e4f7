using System.Globalization;

namespace Switchboard.Benchmarks;

/// <summary>
/// Checks issue 5's performance goals on one run's summary: each is a ratio of Switchboard (the <c>chat</c> target)
/// to a peer in the same run, or a correctness count. A goal whose targets did not run is "not measured".
/// </summary>
internal static class Goals
{
    /// <summary>Every goal, in the issue's order.</summary>
    public static IReadOnlyList<Goal> Evaluate(IReadOnlyList<SummaryRow> rows)
    {
        SummaryRow? Row(string target, string workload) => rows.FirstOrDefault(r => r.Target == target && r.Workload == workload);

        Goal RateRatio(string workload, string peer, double atLeast)
        {
            var description = $"{workload}: Switchboard ≥ {F(atLeast)}× {peer} in {Unit(workload)}";
            return Row("chat", workload) is { Median.Rate: > 0 } chat && Row(peer, workload) is { Median.Rate: > 0 } other
                ? new Goal(workload, description, $"{F(chat.Median.Rate / other.Median.Rate)}×", chat.Median.Rate / other.Median.Rate >= atLeast)
                : new Goal(workload, description, "-", null);
        }

        Goal Clean(string workload)
        {
            var description = $"{workload}: Switchboard loses, duplicates, reorders and closes nothing (lost/dup/ooo/closed/err)";
            return Row("chat", workload) is { } chat
                ? new Goal(workload, description, chat.Counts, chat.Clean && chat.Status == "ok")
                : new Goal(workload, description, "-", null);
        }

        Goal CpuRatio(string workload, string peer, double atMost)
        {
            var description = $"{workload}: Switchboard's server CPU per delivery ≤ {F(atMost)}× {peer}'s";
            return Row("chat", workload) is { Median.CpuMicrosPerMessage: > 0 } chat && Row(peer, workload) is { Median.CpuMicrosPerMessage: > 0 } other
                ? new Goal(workload, description, $"{F(chat.Median.CpuMicrosPerMessage!.Value / other.Median.CpuMicrosPerMessage!.Value)}× ({F(chat.Median.CpuMicrosPerMessage.Value, "0.000")} vs {F(other.Median.CpuMicrosPerMessage.Value, "0.000")} µs)", chat.Median.CpuMicrosPerMessage / other.Median.CpuMicrosPerMessage <= atMost)
                : new Goal(workload, description, "-", null);
        }

        Goal IdleBelow(string peer)
        {
            var description = $"idle: Switchboard's memory per connection below {peer}'s";
            return Row("chat", "idle") is { Median.KiBPerConnection: { } chat } && Row(peer, "idle") is { Median.KiBPerConnection: { } other }
                ? new Goal("idle", description, $"{F(chat, "0.0")} vs {F(other, "0.0")} KiB", chat < other)
                : new Goal("idle", description, "-", null);
        }

        var steady = Row("chat", StallWorkload.Steady);
        var stall = Row("chat", StallWorkload.Stalled);
        var idle = Row("chat", IdleWorkload.Name)?.Median.KiBPerConnection;
        return
        [
            RateRatio(BroadcastWorkload.FlatOut, "ceiling", 1.0),
            Clean(BroadcastWorkload.FlatOut),
            CpuRatio(BroadcastWorkload.FlatOut, "signalr", 0.6),
            Clean(BroadcastWorkload.Burst),
            RateRatio(EchoWorkload.Name, "ceiling", 0.9),
            RateRatio(EchoWorkload.Name, "signalr", 1.2),
            RateRatio(EchoWorkload.Name, "django", 5),
            RateRatio(BroadcastWorkload.Windowed, "django", 80),
            new Goal("idle", "idle: Switchboard ≤ 16 KiB per connection", idle is { } k ? $"{F(k, "0.0")} KiB" : "-", idle is { } kib ? kib <= 16 : null),
            IdleBelow("ceiling"),
            IdleBelow("signalr"),
            Clean(StallWorkload.Stalled),
            steady is { Median.Rate: > 0 } s && stall is { } t
                ? new Goal("stall", "stall: the other readers' rate within 10% of the run without the stalled reader", $"{F(t.Median.Rate / s.Median.Rate)}×", t.Median.Rate >= 0.9 * s.Median.Rate)
                : new Goal("stall", "stall: the other readers' rate within 10% of the run without the stalled reader", "-", null),
            StalledClosed(stall),
            StallMemory(steady, stall),
        ];
    }

    /// <summary>
    /// The server ends the stalled socket: a close with 1008 is what the client should see; "aborted" (a reset) also
    /// counts, since a close frame cannot pass a socket whose buffers are full and the server may give up on it.
    /// </summary>
    private static Goal StalledClosed(SummaryRow? stall)
    {
        const string description = "stall: the server closes the stalled socket (1008 expected; \"aborted\": reset, the close frame could not pass its full buffers)";
        return stall is { Median.StalledReader: { } outcome }
            ? new Goal("stall", description, outcome, outcome.StartsWith("1008", StringComparison.Ordinal) || outcome == "aborted")
            : new Goal("stall", description, "-", null);
    }

    /// <summary>Bounded memory: the stall run's peak RSS is at most 64 MiB above the steady run's.</summary>
    private static Goal StallMemory(SummaryRow? steady, SummaryRow? stall)
    {
        const string description = "stall: server memory bounded (peak RSS at most 64 MiB above the steady run's)";
        if (steady?.Median.RssSamples is not { Count: > 0 } a || stall?.Median.RssSamples is not { Count: > 0 } b)
        {
            return new Goal("stall", description, "-", null);
        }

        var growth = (b.Max(s => s.KiB) - a.Max(s => s.KiB)) / 1024.0;
        return new Goal("stall", description, $"{F(growth, "+0.0;-0.0")} MiB", growth <= 64);
    }

    /// <summary>The rate's unit for <paramref name="workload"/>.</summary>
    public static string Unit(string workload) => workload switch
    {
        EchoWorkload.Name => "round trips/s",
        IdleWorkload.Name => "connections/s",
        _ => "deliveries/s",
    };

    private static string F(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);
}
