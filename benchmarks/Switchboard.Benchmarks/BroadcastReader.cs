using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// One socket in the broadcast room, receiving texts <c>"{seq}|{sent at}|xxx…"</c> (framed by the target's protocol)
/// until it has every message, the server closes it, or the workload stops waiting: counts duplicates and messages
/// that arrive after a later one, and (for receivers) records the delivery latency. Probes (<c>"p|…"</c>) only mark the
/// socket as joined. A stalled reader stops reading after its first probe until told to resume.
/// </summary>
internal sealed class BroadcastReader(int index, ClientWebSocket socket, WireProtocol protocol, int messages, bool measured)
{
    private readonly bool[] _seen = new bool[messages];
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _distinct;
    private int _highest = -1;

    /// <summary>Completes with the first message (probe or not): the socket is in the room.</summary>
    public Task Joined => _joined.Task;

    /// <summary>Distinct messages received (read by the watchdog while running).</summary>
    public int Distinct => Volatile.Read(ref _distinct);

    public int Duplicated { get; private set; }

    public int OutOfOrder { get; private set; }

    public int Errors { get; private set; }

    /// <summary>How the server ended the connection: <c>"1008 reason"</c>, <c>"aborted"</c>; null while it is open.</summary>
    public string? ClosedBy { get; private set; }

    public long LastDeliveryAt { get; private set; }

    /// <summary>True for the receivers, whose deliveries make the rate and the latencies; false for the sender's socket.</summary>
    public bool Measured => measured;

    public Latencies Latencies { get; } = new(measured ? messages : 0);

    /// <summary>
    /// Receives until every message has arrived, the server closes the socket, or <paramref name="stop"/> fires (the
    /// workload stopped waiting: what is missing is lost). With a <paramref name="window"/>, a close fails the run
    /// (the sender would wait for this socket forever); without one it is only recorded in <see cref="ClosedBy"/>.
    /// With <paramref name="pausedUntil"/>, the reader reads nothing after its first message until that completes.
    /// </summary>
    public async Task RunAsync(BroadcastWindow? window, Watchdog watchdog, CancellationToken stop, Task? pausedUntil = null)
    {
        var buffer = new MessageBuffer();
        var texts = new List<ReadOnlyMemory<byte>>();
        try
        {
            // Bounded by the count of distinct messages and the stop token.
            while (_distinct < messages)
            {
                if (pausedUntil is not null && _joined.Task.IsCompleted)
                {
                    await pausedUntil.WaitAsync(stop);
                    pausedUntil = null;
                }

                var type = await buffer.ReceiveAsync(socket, stop);
                var receivedAt = Stopwatch.GetTimestamp();
                if (type == WebSocketMessageType.Close)
                {
                    ClosedBy = $"{(int?)socket.CloseStatus} {socket.CloseStatusDescription}".Trim();
                    if (window is not null)
                    {
                        Errors++;
                        watchdog.Fail($"broadcast socket {index}: the server closed it ({ClosedBy})");
                    }

                    return;
                }

                // A frame that breaks the contract fails the run at once, showing the frame.
                texts.Clear();
                if (type != WebSocketMessageType.Text || !protocol.TryReadChat(buffer.Message, texts))
                {
                    Errors++;
                    watchdog.Fail($"broadcast socket {index}: unexpected {type} frame {MessageBuffer.Preview(buffer.Message.Span)}");
                    return;
                }

                foreach (var text in texts)
                {
                    if (!TryParseText(text.Span, out var seq, out var sentAt, out var probe) || (!probe && (uint)seq >= (uint)messages))
                    {
                        Errors++;
                        watchdog.Fail($"broadcast socket {index}: unexpected message {MessageBuffer.Preview(text.Span)}");
                        return;
                    }

                    Receive(seq, sentAt, probe, receivedAt, window);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The workload stopped waiting (or the watchdog stopped the run); what is missing is counted as lost.
        }
        catch (Exception ex) when (ClientSockets.IsDisconnect(ex) || ex is InvalidDataException)
        {
            // After a cancellation, errors are its echo (cancelling a receive aborts the socket).
            if (!stop.IsCancellationRequested)
            {
                ClosedBy = "aborted";
                if (window is not null || ex is InvalidDataException)
                {
                    Errors++;
                    watchdog.Fail($"broadcast socket {index}: {ex.Message}");
                }
            }
        }
    }

    /// <summary>Writes message <paramref name="seq"/>'s text: <c>"{seq}|{sentAt}|xxx…"</c>, <paramref name="size"/> characters long.</summary>
    /// <returns>The bytes written.</returns>
    public static int Format(Span<byte> destination, long seq, long sentAt, int size) =>
        FormatCore(destination, seq, sentAt, probe: false, size);

    /// <summary>Writes probe <paramref name="attempt"/>'s text: <c>"p|{attempt}|xxx…"</c>.</summary>
    public static int FormatProbe(Span<byte> destination, int attempt, int size) =>
        FormatCore(destination, attempt, 0, probe: true, size);

    private void Receive(int seq, long sentAt, bool probe, long receivedAt, BroadcastWindow? window)
    {
        _joined.TrySetResult();
        if (probe)
        {
            return;
        }

        if (_seen[seq])
        {
            Duplicated++;
            return;
        }

        _seen[seq] = true;
        Volatile.Write(ref _distinct, _distinct + 1);
        if (seq < _highest)
        {
            OutOfOrder++;
        }
        else
        {
            window?.Passed(_highest + 1, seq);
            _highest = seq;
        }

        if (measured)
        {
            Latencies.Add(receivedAt - sentAt);
            LastDeliveryAt = receivedAt;
        }
    }

    private static int FormatCore(Span<byte> text, long first, long second, bool probe, int size)
    {
        var written = 0;
        if (probe)
        {
            text[written++] = (byte)'p';
            text[written++] = (byte)'|';
        }

        Utf8Formatter.TryFormat(first, text[written..], out var n);
        written += n;
        text[written++] = (byte)'|';
        if (!probe)
        {
            Utf8Formatter.TryFormat(second, text[written..], out n);
            written += n;
            text[written++] = (byte)'|';
        }

        if (written < size)
        {
            text[written..size].Fill((byte)'x');
            written = size;
        }

        return written;
    }

    private static bool TryParseText(ReadOnlySpan<byte> text, out int seq, out long sentAt, out bool probe)
    {
        sentAt = 0;
        probe = text.StartsWith("p|"u8);
        if (probe)
        {
            seq = 0;
            return true;
        }

        if (!Utf8Parser.TryParse(text, out seq, out var read) || read >= text.Length || text[read] != '|')
        {
            return false;
        }

        text = text[(read + 1)..];
        return Utf8Parser.TryParse(text, out sentAt, out read) && read < text.Length && text[read] == '|';
    }
}
