using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// One echo connection: sequential round trips of one text <c>"{connection}:{seq}:xxx…"</c>, framed by the target's
/// protocol; each echo is checked byte for byte. An echo of an earlier round trip counts as a duplicate.
/// </summary>
internal sealed class EchoConnection(int index, ClientWebSocket socket, WireProtocol protocol, int roundTrips, int size)
{
    private int _completed;

    /// <summary>Round trips completed (read by the watchdog while running).</summary>
    public int Completed => Volatile.Read(ref _completed);

    public int Duplicated { get; private set; }

    public int Errors { get; private set; }

    /// <summary>When the last round trip completed (<see cref="Stopwatch"/> timestamp).</summary>
    public long LastCompletedAt { get; private set; }

    public Latencies Latencies { get; } = new(roundTrips);

    /// <summary>Runs the round trips; a server error fails the whole run through <paramref name="watchdog"/>.</summary>
    public async Task RunAsync(Watchdog watchdog)
    {
        var cancellationToken = watchdog.Token;
        var text = new byte[size];
        var frame = new byte[size + WireProtocol.MaxOverhead];
        var buffer = new MessageBuffer();
        var echoes = new List<ReadOnlyMemory<byte>>();
        try
        {
            for (var seq = 0; seq < roundTrips; seq++)
            {
                Format(text, seq);
                var length = protocol.FormatEcho(frame, text);
                var sentAt = Stopwatch.GetTimestamp();
                await socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

                // Bounded: ends with the echo, an error, or the watchdog's cancellation.
                var answered = false;
                while (!answered)
                {
                    var type = await buffer.ReceiveAsync(socket, cancellationToken);
                    var receivedAt = Stopwatch.GetTimestamp();
                    echoes.Clear();
                    if (type != WebSocketMessageType.Text || !protocol.TryReadEchoes(buffer.Message, echoes))
                    {
                        Errors++;
                        watchdog.Fail(type == WebSocketMessageType.Close
                            ? $"echo connection {index}: the server closed it"
                            : $"echo connection {index}: round trip {seq} got an unexpected {type} frame {MessageBuffer.Preview(buffer.Message.Span)}");
                        return;
                    }

                    foreach (var echo in echoes)
                    {
                        if (!answered && echo.Span.SequenceEqual(text))
                        {
                            Latencies.Add(receivedAt - sentAt);
                            LastCompletedAt = receivedAt;
                            Volatile.Write(ref _completed, seq + 1);
                            answered = true;
                        }
                        else if (TryParse(echo.Span, out var connection, out var earlier) && connection == index && earlier < seq)
                        {
                            Duplicated++;
                        }
                        else
                        {
                            Errors++;
                            watchdog.Fail($"echo connection {index}: round trip {seq} got an unexpected echo {MessageBuffer.Preview(echo.Span)}");
                            return;
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ClientSockets.IsDisconnect(ex) || ex is InvalidDataException)
        {
            // After the watchdog cancelled, errors are the cancellation's echo (cancelling a receive aborts the socket).
            if (!cancellationToken.IsCancellationRequested)
            {
                Errors++;
                watchdog.Fail($"echo connection {index}: {ex.Message}");
            }
        }
    }

    // "{index}:{seq}:" then 'x' up to the size.
    private void Format(byte[] message, int seq)
    {
        var span = message.AsSpan();
        Utf8Formatter.TryFormat(index, span, out var written);
        span[written++] = (byte)':';
        Utf8Formatter.TryFormat(seq, span[written..], out var n);
        written += n;
        span[written++] = (byte)':';
        span[written..].Fill((byte)'x');
    }

    private static bool TryParse(ReadOnlySpan<byte> message, out int connection, out int seq)
    {
        seq = 0;
        return Utf8Parser.TryParse(message, out connection, out var read) && read < message.Length && message[read] == ':'
            && Utf8Parser.TryParse(message[(read + 1)..], out seq, out _);
    }
}
