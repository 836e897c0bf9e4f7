using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>
/// The broadcast workloads: <c>--receivers</c> sockets and one sender in one room; the sender sends numbered messages
/// stamped with their send time. <c>broadcast</c> keeps the sender at most W messages ahead of the slowest socket,
/// its own included (a correct server with bounded queues loses nothing); <c>flatout</c> and <c>burst</c> send back to
/// back without waiting for anyone, as real chat bursts do. Measures deliveries per second to the receivers (from the
/// first send to the last delivery), the delivery latency (receive time − send stamp, one clock), and the server CPU
/// per delivery; whatever has not arrived once nothing has arrived for <see cref="BroadcastRoom.GracePeriod"/> is lost.
/// </summary>
internal static class BroadcastWorkload
{
    public const string Windowed = "broadcast";
    public const string FlatOut = "flatout";
    public const string Burst = "burst";

    /// <summary>Runs once; never throws for a server fault (the result reports it).</summary>
    /// <param name="context">The run.</param>
    /// <param name="name">The workload's name, for the result.</param>
    /// <param name="messages">How many messages the sender sends.</param>
    /// <param name="window">The most messages the sender may run ahead of the slowest socket; 0: no limit.</param>
    public static async Task<WorkloadResult> RunAsync(WorkloadContext context, string name, int messages, int window)
    {
        BroadcastRoom? room = null;
        using var watchdog = new Watchdog(context.Options.Timeout, () => room?.Delivered ?? 0, context.CancellationToken);
        room = await BroadcastRoom.OpenAsync(context, messages, context.Options.Size, withStalledReader: false, watchdog);
        if (room is null)
        {
            return WorkloadResult.NotRun(context, name, watchdog.Reason);
        }

        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token);
        var tracker = window > 0 ? new BroadcastWindow(messages, room.Counted.Length) : null;
        var reading = Task.WhenAll(room.Counted.Select(r => r.RunAsync(tracker, watchdog, stopReading.Token)));
        var firstSendAt = 0L;
        double? cpuBefore = null;
        if (await room.ProbeAsync(watchdog))
        {
            cpuBefore = context.CpuSeconds();
            for (var seq = 0; seq < messages; seq++)
            {
                if (tracker is not null && seq >= window)
                {
                    try
                    {
                        await tracker.PassedByAllAsync(seq - window).WaitAsync(watchdog.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                var sentAt = await room.SendAsync(seq, context.Options.Size, watchdog);
                if (sentAt == 0)
                {
                    break;
                }

                firstSendAt = firstSendAt == 0 ? sentAt : firstSendAt;
            }
        }

        await BroadcastRoom.WaitForStragglersAsync(reading, () => room.Delivered, stopReading, watchdog);
        var cpu = context.CpuMicrosPer(cpuBefore, room.Delivered);
        await room.CloseAsync();
        return WorkloadResult.FromRoom(context, name, room, messages, firstSendAt, cpu, watchdog.Reason) with { Window = window };
    }
}
