using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Switchboard.Benchmarks;

/// <summary>
/// One socket in the broadcast room, receiving <c>{"message": "{seq}|{sent at}|xxx…"}</c> until it has every message:
/// counts duplicates and messages that arrive after a later one, and (for receivers) records the delivery latency.
/// Probes (<c>"p|…"</c>) only mark the socket as joined.
/// </summary>
internal sealed class BroadcastReader(int index, ClientWebSocket socket, int messages, bool measured)
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

    public long LastDeliveryAt { get; private set; }

    public bool Measured => measured;

    public Latencies Latencies { get; } = new(measured ? messages : 0);

    /// <summary>Receives until every message has arrived; a server error fails the whole run through <paramref name="watchdog"/>.</summary>
    public async Task RunAsync(BroadcastWindow window, Watchdog watchdog)
    {
        var cancellationToken = watchdog.Token;
        var buffer = new MessageBuffer();
        try
        {
            // Bounded by the count of distinct messages and the watchdog.
            while (_distinct < messages)
            {
                var type = await buffer.ReceiveAsync(socket, cancellationToken);
                var receivedAt = Stopwatch.GetTimestamp();
                if (type == WebSocketMessageType.Close)
                {
                    Errors++;
                    watchdog.Fail($"broadcast socket {index}: the server closed it");
                    return;
                }

                // A frame that breaks the contract fails the run at once, showing the frame.
                if (type != WebSocketMessageType.Text || !TryParse(buffer.Message.Span, out var seq, out var sentAt, out var probe)
                    || (!probe && (uint)seq >= (uint)messages))
                {
                    Errors++;
                    watchdog.Fail($"broadcast socket {index}: unexpected {type} frame {MessageBuffer.Preview(buffer.Message.Span)}");
                    return;
                }

                _joined.TrySetResult();
                if (probe)
                {
                    continue;
                }

                if (_seen[seq])
                {
                    Duplicated++;
                    continue;
                }

                _seen[seq] = true;
                Volatile.Write(ref _distinct, _distinct + 1);
                if (seq < _highest)
                {
                    OutOfOrder++;
                }
                else
                {
                    window.Passed(_highest + 1, seq);
                    _highest = seq;
                }

                if (measured)
                {
                    Latencies.Add(receivedAt - sentAt);
                    LastDeliveryAt = receivedAt;
                }
            }
        }
        catch (Exception ex) when (CeilingServer.IsDisconnect(ex) || ex is InvalidDataException)
        {
            // After the watchdog cancelled, errors are the cancellation's echo (cancelling a receive aborts the socket).
            if (!cancellationToken.IsCancellationRequested)
            {
                Errors++;
                watchdog.Fail($"broadcast socket {index}: {ex.Message}");
            }
        }
    }

    /// <summary>Writes message <paramref name="seq"/> as the sender does: <c>{"message": "{seq}|{sentAt}|xxx…"}</c>, the string <paramref name="size"/> characters long.</summary>
    /// <returns>The bytes written.</returns>
    public static int Format(Span<byte> destination, long seq, long sentAt, int size) =>
        FormatCore(destination, seq, sentAt, probe: false, size);

    /// <summary>Writes probe <paramref name="attempt"/>: <c>{"message": "p|{attempt}|xxx…"}</c>.</summary>
    public static int FormatProbe(Span<byte> destination, int attempt, int size) =>
        FormatCore(destination, attempt, 0, probe: true, size);

    /// <summary>The largest frame <see cref="Format"/> writes for <paramref name="size"/>.</summary>
    public static int MaxFrameSize(int size) => size + 64;

    private static int FormatCore(Span<byte> destination, long first, long second, bool probe, int size)
    {
        var prefix = "{\"message\": \""u8;
        prefix.CopyTo(destination);
        var text = destination[prefix.Length..];
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

        "\"}"u8.CopyTo(text[written..]);
        return prefix.Length + written + 2;
    }

    /// <summary>Reads <c>{"message": "..."}</c> (any JSON spelling) and the fields of its string.</summary>
    private static bool TryParse(ReadOnlySpan<byte> json, out int seq, out long sentAt, out bool probe)
    {
        seq = 0;
        sentAt = 0;
        probe = false;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            // Bounded by the frame's length.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message"u8);
                if (!reader.Read())
                {
                    return false;
                }

                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    // Escapes are not expected (digits, '|' and 'x'), but a server may escape anyway.
                    var text = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                    return TryParseText(text, out seq, out sentAt, out probe);
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
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
