using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// One echo connection: sequential round trips of one text message <c>"{connection}:{seq}:xxx…"</c>; each echo is
/// checked byte for byte. An echo of an earlier round trip counts as a duplicate.
/// </summary>
internal sealed class EchoConnection(int index, ClientWebSocket socket, int roundTrips, int size)
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
        var message = new byte[size];
        var buffer = new MessageBuffer();
        try
        {
            for (var seq = 0; seq < roundTrips; seq++)
            {
                Format(message, seq);
                var sentAt = Stopwatch.GetTimestamp();
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

                // Bounded: ends with the echo, an error, or the watchdog's cancellation.
                while (true)
                {
                    var type = await buffer.ReceiveAsync(socket, cancellationToken);
                    var receivedAt = Stopwatch.GetTimestamp();
                    if (type == WebSocketMessageType.Text && buffer.Message.Span.SequenceEqual(message))
                    {
                        Latencies.Add(receivedAt - sentAt);
                        LastCompletedAt = receivedAt;
                        Volatile.Write(ref _completed, seq + 1);
                        break;
                    }

                    if (type == WebSocketMessageType.Text && TryParse(buffer.Message.Span, out var connection, out var earlier)
                        && connection == index && earlier < seq)
                    {
                        Duplicated++;
                        continue;
                    }

                    Errors++;
                    watchdog.Fail(type == WebSocketMessageType.Close
                        ? $"echo connection {index}: the server closed it"
                        : $"echo connection {index}: round trip {seq} got an unexpected {type} frame {MessageBuffer.Preview(buffer.Message.Span)}");
                    return;
                }
            }
        }
        catch (Exception ex) when (CeilingServer.IsDisconnect(ex) || ex is InvalidDataException)
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
