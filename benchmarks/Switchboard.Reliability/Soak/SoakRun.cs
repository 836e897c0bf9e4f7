using System.Diagnostics;
using System.Globalization;
using Switchboard.Reliability.Fuzzing;

namespace Switchboard.Reliability.Soak;

/// <summary>
/// The churn soak: the reference app (Release) as its own process; chatters stay in their rooms and chat throughout
/// while waves of connections join rooms and leave. Afterwards, measured after a forced full GC each time: the memory
/// the process holds (RSS less the GC's free committed memory) and the GC heap within 10 % and open files within 2 of
/// their levels in the middle of the run, timers and connections back to where they were after the first wave, no
/// group with a departed member (checked through the layer's delivery counter), and no chatter message lost.
/// </summary>
internal static class SoakRun
{
    private const string Within = "within 10 % of";

    public static async Task<SoakReport> RunAsync(SoakOptions options, Action<string> print)
    {
        var report = new SoakReport();
        var clock = Stopwatch.StartNew();
        await using var chat = await ChatProcess.StartAsync(options.ChatDll).ConfigureAwait(false);
        await using var counters = RuntimeCounters.Attach(chat.Id);
        await counters.SettleAsync().ConfigureAwait(false);
        print($"soak: {options.ChatDll} as process {chat.Id} on {chat.HttpBase}; {options.ConnectionsPerWave:N0} connections a wave over {options.Rooms} rooms for {options.Duration.TotalSeconds:F0} s; load average {LoadAverage()}");

        var chatterRooms = new List<CalmRoom>();
        for (var r = 0; r < options.ChatterRooms; r++)
        {
            chatterRooms.Add(await CalmRoom.StartAsync(chat.WebSocketBase, options.ChattersPerRoom, TimeSpan.FromMilliseconds(50), $"steady-{r}").ConfigureAwait(false));
        }

        var random = new Random(options.Seed);
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler(), disposeHandler: true);
        ProcessSnapshot? afterFirst = null;
        var snapshots = new List<ProcessSnapshot>();
        long churned = 0;
        long failed = 0;
        var waves = 0;
        while (waves < options.MaxWaves && (waves == 0 || clock.Elapsed < options.Duration))
        {
            var started = Stopwatch.StartNew();
            var (opened, failures) = await ChurnWave.RunAsync(chat.WebSocketBase, options, waves, random, invoker).ConfigureAwait(false);
            waves++;
            churned += opened;
            failed += failures;
            print(FormattableString.Invariant($"  wave {waves}: {opened:N0} joined and left in {started.Elapsed.TotalSeconds:F1} s ({failures} failed)"));
            if (waves == 1)
            {
                afterFirst = await SnapshotAsync("after wave 1", chat, counters).ConfigureAwait(false);
                print("  " + afterFirst);
            }
            else if (waves % options.SnapshotEvery == 0)
            {
                // The trend in between: a leak grows wave after wave, a pool or cache levels off.
                var snapshot = await SnapshotAsync($"after wave {waves}", chat, counters).ConfigureAwait(false);
                snapshots.Add(snapshot);
                print("  " + snapshot);
            }
        }

        var afterLast = await SnapshotAsync($"after wave {waves}", chat, counters).ConfigureAwait(false);
        print("  " + afterLast);

        long sent = 0;
        long received = 0;
        long lost = 0;
        var chatterProblems = new List<string>();
        foreach (var room in chatterRooms)
        {
            lost += await room.StopAndCheckAsync().ConfigureAwait(false);
            sent += room.Sent;
            received += room.Received;
            chatterProblems.AddRange(room.Problems);
        }

        var residents = Enumerable.Range(0, options.Rooms).ToDictionary(r => $"churn-{r}", _ => 0);
        for (var r = 0; r < options.ChatterRooms; r++)
        {
            residents[$"steady-{r}"] = options.ChattersPerRoom;
        }

        var (delivered, expected, instrument) = await MembershipProbe.RunAsync(chat.WebSocketBase, residents, counters).ConfigureAwait(false);
        foreach (var room in chatterRooms)
        {
            await room.DisposeAsync().ConfigureAwait(false);
        }

        var exceptions = counters.Total("dotnet.exceptions");
        report.Lines.Add(FormattableString.Invariant($"soak: {waves} waves, {churned:N0} connections churned ({failed} failed), {clock.Elapsed.TotalSeconds:F0} s, load average {LoadAverage()}"));
        report.Lines.Add("  " + afterFirst);
        report.Lines.Add("  " + afterLast);
        report.Lines.Add(FormattableString.Invariant($"  chatters: {options.ChatterRooms * options.ChattersPerRoom}, {sent:N0} messages sent, {received:N0} received, lost: {lost}"));
        report.Lines.Add(FormattableString.Invariant($"  exceptions thrown in the app (dotnet.exceptions): {exceptions:N0}"));

        // Not a check: the queue length is one instant's reading, and the runtime's own work items come and go.
        report.Lines.Add($"  thread pool queue at the last snapshot: {afterLast.ThreadPoolQueue}");
        var first = afterFirst!;
        report.Check(failed == 0, $"every churn connection joined and left ({failed} failed)");
        report.Check(lost == 0 && chatterProblems.Count == 0, $"chatters lost nothing (lost {lost}{string.Concat(chatterProblems.Take(3).Select(p => "; " + p))})");
        // The live heap and the open files must not grow through the second half of the run: pools, caches and the
        // runtime's own handles settle in the first waves, while a leak of a few bytes or one handle per thousands of
        // connections would show over the tens of thousands of the second half.
        var middle = snapshots.Count > 0 ? snapshots[(snapshots.Count - 1) / 2] : first;

        // Raw RSS is shown, not checked: after the forced GCs the server GC still keeps about one gen0 budget of free
        // memory committed, and it adapts that budget at run time, so RSS swings by tens of MiB between snapshots with
        // the same live heap (docs/reliability.md). The memory the process holds for itself (RSS less that free memory)
        // does not swing with it, and grows in the first waves only, as the JIT recompiles hot methods at tier 1.
        report.Lines.Add("  " + Percent("RSS", "compared with", first, first.RssBytes, afterLast.RssBytes) + ", not a check");
        report.Check(
            afterLast.HeldBytes <= middle.HeldBytes * 1.10,
            Percent("memory held (RSS less the GC's free committed memory)", Within, middle, middle.HeldBytes, afterLast.HeldBytes));
        report.Check(
            afterLast.GcHeapBytes <= middle.GcHeapBytes * 1.10,
            Percent("GC heap", Within, middle, middle.GcHeapBytes ?? 0, afterLast.GcHeapBytes ?? 0));
        report.Check(afterLast.TimerCount <= first.TimerCount, $"timers back to the first wave's count ({first.TimerCount} then {afterLast.TimerCount})");
        report.Check(
            afterLast.OpenFiles <= middle.OpenFiles + 2,
            $"open files not growing: within 2 of their count {middle.Label} ({first.OpenFiles} after wave 1, {middle.OpenFiles} then {afterLast.OpenFiles})");
        report.Check(
            afterLast.ActiveConnections == options.ChatterRooms * options.ChattersPerRoom,
            $"connections back to the chatters alone ({afterLast.ActiveConnections} of {options.ChatterRooms * options.ChattersPerRoom})");
        report.Check(delivered == expected, $"no group kept a departed member: a probe in each of {residents.Count} rooms was delivered {delivered} times through the layer ({instrument}), members {expected}");
        report.Check(chat.ErrorLines == 0 && !chat.HasExited, $"the app logged no error and still runs ({chat.ErrorLines} error lines)");
        return report;
    }

    private static async Task<ProcessSnapshot> SnapshotAsync(string label, ChatProcess chat, RuntimeCounters counters)
    {
        // Two forced GCs (the second collects what the first's finalizers released), then the counters' next report.
        await counters.ForceGcAsync().ConfigureAwait(false);
        await counters.ForceGcAsync().ConfigureAwait(false);
        await counters.SettleAsync().ConfigureAwait(false);
        return ProcessSnapshot.Take(label, chat.Id, counters);
    }

    private static string Percent(string what, string relation, ProcessSnapshot baseline, double before, double after) =>
        FormattableString.Invariant($"{what} {relation} its level {baseline.Label} ({before / 1048576.0:F1} MiB then {after / 1048576.0:F1} MiB, {(after - before) * 100 / Math.Max(1, before):+0.0;-0.0;0.0} %)");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
