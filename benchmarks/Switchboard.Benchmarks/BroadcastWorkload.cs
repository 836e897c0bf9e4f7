using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// The broadcast workload: receivers join one room (a fresh random name per run), then one more socket, the sender,
/// sends numbered messages stamped with their send time. The sender stays at most W messages ahead of the slowest
/// socket, its own included, so a correct server with bounded queues loses nothing. Measures deliveries per second to
/// the receivers (from the first send to the last delivery) and the delivery latency (receive time − send stamp,
/// both <see cref="Stopwatch.GetTimestamp"/> on this machine).
/// </summary>
internal static class BroadcastWorkload
{
    public const string Name = "broadcast";

    private const int JoinAttempts = 50;
    private static readonly TimeSpan s_gracePeriod = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_joinProbeInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Runs once; never throws for a server fault (the result reports it).</summary>
    public static async Task<WorkloadResult> RunAsync(
        string target, Uri baseUri, BenchmarkOptions options, int run, int messages, CancellationToken cancellationToken)
    {
        var readers = Array.Empty<BroadcastReader>();
        using var watchdog = new Watchdog(options.Timeout, () => readers.Sum(r => (long)r.Distinct), cancellationToken);
        var room = $"bench_{Guid.NewGuid():N}"[..22];
        var uri = ClientSockets.WebSocketUri(baseUri, $"ws/chat/{room}/");
        var sockets = new List<ClientWebSocket>();
        var firstSendAt = 0L;
        try
        {
            // The receivers join first; the sender (last socket) joins after them.
            sockets.AddRange(await ClientSockets.ConnectAsync(uri, options.Receivers, watchdog.Token));
            sockets.AddRange(await ClientSockets.ConnectAsync(uri, 1, watchdog.Token));
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            watchdog.Fail($"could not connect: {ex.Message}");
        }

        if (sockets.Count == options.Receivers + 1)
        {
            readers = sockets.Select((s, i) => new BroadcastReader(i, s, messages, measured: i < options.Receivers)).ToArray();
            var window = new BroadcastWindow(messages, readers.Length);
            var receiving = readers.Select(r => r.RunAsync(window, watchdog)).ToArray();
            firstSendAt = await SendAsync(sockets[^1], readers, window, messages, options, watchdog);
            await WaitForDeliveriesAsync(Task.WhenAll(receiving), window.PassedByAllAsync(messages - 1), watchdog);
        }

        await ClientSockets.CloseAsync(sockets);

        var expected = (long)messages * (options.Receivers + 1);
        var delivered = readers.Sum(r => (long)r.Distinct);
        var receivers = readers.Where(r => r.Measured).ToArray();
        var lastDeliveryAt = receivers.Length == 0 ? 0 : receivers.Max(r => r.LastDeliveryAt);
        var seconds = firstSendAt > 0 && lastDeliveryAt > firstSendAt ? Stopwatch.GetElapsedTime(firstSendAt, lastDeliveryAt).TotalSeconds : 0;
        var (p50, p99) = Latencies.Percentiles(receivers.Select(r => r.Latencies));
        return new WorkloadResult
        {
            Target = target,
            Workload = Name,
            Run = run,
            Expected = expected,
            Delivered = delivered,
            Seconds = seconds,
            Rate = seconds > 0 ? receivers.Sum(r => (long)r.Distinct) / seconds : 0,
            P50Ms = p50,
            P99Ms = p99,
            Lost = expected - delivered,
            Duplicated = readers.Sum(r => (long)r.Duplicated),
            OutOfOrder = readers.Sum(r => (long)r.OutOfOrder),
            Errors = readers.Sum(r => (long)r.Errors),
            Failure = watchdog.Reason,
            Window = options.Window,
        };
    }

    /// <summary>
    /// Waits until every socket has every message. Once every socket has the last one, whatever is still missing is
    /// late or lost: that gets a short grace period rather than the watchdog's stall limit.
    /// </summary>
    private static async Task WaitForDeliveriesAsync(Task receiving, Task lastPassedByAll, Watchdog watchdog)
    {
        await Task.WhenAny(receiving, lastPassedByAll);
        if (!receiving.IsCompleted)
        {
            await Task.WhenAny(receiving, Task.Delay(s_gracePeriod, watchdog.Token));
            if (!receiving.IsCompleted)
            {
                watchdog.Fail($"messages missing {s_gracePeriod.TotalSeconds:0} s after every socket got the last one");
            }
        }

        await receiving;
    }

    /// <summary>Probes until every socket is in the room, then sends the messages within the window.</summary>
    /// <returns>When the first message was sent (<see cref="Stopwatch"/> timestamp); 0 if none was.</returns>
    private static async Task<long> SendAsync(
        ClientWebSocket sender, BroadcastReader[] readers, BroadcastWindow window, int messages, BenchmarkOptions options, Watchdog watchdog)
    {
        var cancellationToken = watchdog.Token;
        var frame = new byte[BroadcastReader.MaxFrameSize(options.Size)];
        var firstSendAt = 0L;
        try
        {
            // A socket is in the room once a broadcast reaches it: probe until all have one, so no message is sent
            // before every socket has joined, whatever the server does between the handshake and the join.
            var joined = Task.WhenAll(readers.Select(r => r.Joined));
            for (var attempt = 0; !joined.IsCompleted; attempt++)
            {
                if (attempt == JoinAttempts)
                {
                    watchdog.Fail($"not every socket got a probe after {JoinAttempts} attempts; they did not all join the room");
                    return 0;
                }

                var length = BroadcastReader.FormatProbe(frame, attempt, options.Size);
                await sender.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                await Task.WhenAny(joined, Task.Delay(s_joinProbeInterval, cancellationToken));
            }

            for (var seq = 0; seq < messages; seq++)
            {
                if (seq >= options.Window)
                {
                    await window.PassedByAllAsync(seq - options.Window).WaitAsync(cancellationToken);
                }

                var sentAt = Stopwatch.GetTimestamp();
                if (seq == 0)
                {
                    firstSendAt = sentAt;
                }

                var length = BroadcastReader.Format(frame, seq, sentAt, options.Size);
                await sender.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }

            return firstSendAt;
        }
        catch (Exception ex) when (CeilingServer.IsDisconnect(ex))
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                watchdog.Fail($"broadcast sender: {ex.Message}");
            }

            return firstSendAt;
        }
    }
}
