using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Benchmarks;

/// <summary>
/// Reads whole WebSocket messages into one reusable buffer that grows as needed (up to a limit), so a steady
/// stream of messages does not allocate. Used by the ceiling server and by the load generator alike.
/// </summary>
internal sealed class MessageBuffer
{
    /// <summary>The largest message accepted; the workloads send far less, so anything bigger is a defect.</summary>
    public const int MaxMessageSize = 1 << 20;

    private byte[] _buffer = new byte[4096];
    private int _count;

    /// <summary>The last message received (valid until the next receive).</summary>
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(0, _count);

    /// <summary>Receives one whole message.</summary>
    /// <returns>Its kind; <see cref="WebSocketMessageType.Close"/> when the peer closed.</returns>
    /// <exception cref="InvalidDataException">The message is larger than <see cref="MaxMessageSize"/>.</exception>
    public async ValueTask<WebSocketMessageType> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        _count = 0;

        // Bounded: each pass adds at least one byte or ends, and the size is capped.
        while (true)
        {
            if (_count == _buffer.Length)
            {
                if (_buffer.Length >= MaxMessageSize)
                {
                    throw new InvalidDataException($"A WebSocket message exceeds {MaxMessageSize} bytes.");
                }

                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(_count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _count = 0;
                return WebSocketMessageType.Close;
            }

            _count += result.Count;
            if (result.EndOfMessage)
            {
                return result.MessageType;
            }
        }
    }

    /// <summary>The start of a message as text, quoted, for error messages.</summary>
    public static string Preview(ReadOnlySpan<byte> message)
    {
        const int max = 120;
        var text = Encoding.UTF8.GetString(message[..Math.Min(message.Length, max)]);
        return message.Length > max ? $"'{text}…' ({message.Length} bytes)" : $"'{text}'";
    }
}
