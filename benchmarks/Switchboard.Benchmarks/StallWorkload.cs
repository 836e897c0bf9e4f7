using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>
/// The stalled-reader workloads: the sender sends at a steady rate (<c>--stall-rate</c> messages per second for
/// <c>--stall-seconds</c>, <c>--stall-size</c> characters each) to <c>--receivers</c> readers that read everything.
/// <c>steady</c> is that alone; <c>stall</c> adds one more socket in the room that reads its first probe and then
/// stops reading (with a small kernel receive buffer, so its backlog stays in the server). Reports the readers'
/// rate, latency and loss (the goal: the same as <c>steady</c>), the server's RSS every 250 ms, and what became of
/// the stalled socket: after the run it reads again for at most 5 s and reports how the server ended it (expected:
/// a close with 1008 once its backlog passed the server's budget).
/// </summary>
internal static class StallWorkload
{
    public const string Steady = "steady";
    public const string Stalled = "stall";

    private static readonly TimeSpan s_drainLimit = TimeSpan.FromSeconds(5);

    /// <summary>Runs once; never throws for a server fault (the result reports it).</summary>
    public static async Task<WorkloadResult> RunAsync(WorkloadContext context, bool withStalledReader)
    {
        var options = context.Options;
        var name = withStalledReader ? Stalled : Steady;
        // The warm-up sends for a quarter of the time; a slow target (WorkScale) at a lower rate for the full time.
        var rate = Math.Max(1, options.StallRate * context.Definition.WorkScale);
        var messages = Math.Max(1, (int)(rate * options.StallSeconds.TotalSeconds * (context.Run == 0 ? 0.25 : 1)));
        BroadcastRoom? room = null;
        using var watchdog = new Watchdog(options.Timeout, () => room?.Delivered ?? 0, context.CancellationToken);
        room = await BroadcastRoom.OpenAsync(context, messages, options.StallSize, withStalledReader, watchdog);
        if (room is null)
        {
            return WorkloadResult.NotRun(context, name, watchdog.Reason);
        }

        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        using var stopStalled = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.WhenAll(room.Counted.Select(r => r.RunAsync(null, watchdog, stopReading.Token)));
        var stalledReading = room.Stalled?.RunAsync(null, watchdog, stopStalled.Token, resume.Task) ?? Task.CompletedTask;
        var firstSendAt = 0L;
        double? cpu = null;
        IReadOnlyList<RssSample> rss = [];
        if (await room.ProbeAsync(watchdog))
        {
            var sampler = RssSampler.Start(context.Server);
            await using (sampler)
            {
                var cpuBefore = context.CpuSeconds();
                firstSendAt = await SendPacedAsync(room, messages, rate, options.StallSize, watchdog);
                await BroadcastRoom.WaitForStragglersAsync(reading, () => room.Delivered, stopReading, watchdog);
                cpu = context.CpuMicrosPer(cpuBefore, room.Delivered);

                resume.TrySetResult();
                await Task.WhenAny(stalledReading, Task.Delay(s_drainLimit, context.CancellationToken));
                await stopStalled.CancelAsync();
                await stalledReading;
                rss = sampler.Samples;
            }
        }
        else
        {
            resume.TrySetResult();
            await stopReading.CancelAsync();
            await stopStalled.CancelAsync();
            await Task.WhenAll(reading, stalledReading);
        }

        await room.CloseAsync();
        var result = WorkloadResult.FromRoom(context, name, room, messages, firstSendAt, cpu, watchdog.Reason);

        // The rate is over the time the sending should have taken at least: a server that stops delivering (the room
        // blocked behind the stalled socket) shows its real rate, not that of its first seconds.
        var planned = messages / rate;
        return result with
        {
            Seconds = Math.Max(result.Seconds, planned),
            Rate = result.Seconds >= planned ? result.Rate : result.Rate * result.Seconds / planned,
            RssSamples = rss,
            StalledReader = room.Stalled is { } stalled ? stalled.ClosedBy ?? $"not closed (read {stalled.Distinct} of {messages} when resumed)" : null,
        };
    }

    /// <summary>Sends message i at (start + i / rate); a late message goes at once.</summary>
    /// <returns>When the first message was sent; 0 if none was.</returns>
    private static async Task<long> SendPacedAsync(BroadcastRoom room, int messages, double rate, int size, Watchdog watchdog)
    {
        var start = Stopwatch.GetTimestamp();
        var firstSendAt = 0L;
        try
        {
            for (var seq = 0; seq < messages; seq++)
            {
                var due = start + (long)(seq * Stopwatch.Frequency / rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1))
                {
                    await Task.Delay(wait, watchdog.Token);
                }

                var sentAt = await room.SendAsync(seq, size, watchdog);
                if (sentAt == 0)
                {
                    break;
                }

                firstSendAt = firstSendAt == 0 ? sentAt : firstSendAt;
            }
        }
        catch (OperationCanceledException)
        {
            // The watchdog stopped the run; it says why.
        }

        return firstSendAt;
    }
}
