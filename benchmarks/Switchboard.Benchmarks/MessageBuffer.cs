using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Switchboard.Benchmarks;

/// <summary>
/// Reads whole WebSocket messages into one reusable buffer that grows as needed (up to a limit), so a steady
/// stream of messages does not allocate. Used by the ceiling server and by the load generator alike. A pooled buffer
/// comes from <see cref="ArrayPool{T}.Shared"/> at the first receive and goes back with <see cref="Release"/>.
/// </summary>
/// <param name="pooled">Whether the buffer is rented, so that a socket can hold none while it waits.</param>
internal sealed class MessageBuffer(bool pooled = false)
{
    /// <summary>The largest message accepted; the workloads send far less, so anything bigger is a defect.</summary>
    public const int MaxMessageSize = 1 << 20;

    private const int InitialSize = 4096;

    private byte[] _buffer = pooled ? [] : new byte[InitialSize];
    private int _count;

    /// <summary>The last message received (valid until the next receive).</summary>
    public ReadOnlyMemory<byte> Message => _buffer.AsMemory(0, _count);

    /// <summary>Receives one whole message.</summary>
    /// <returns>Its kind; <see cref="WebSocketMessageType.Close"/> when the peer closed.</returns>
    /// <exception cref="InvalidDataException">The message is larger than <see cref="MaxMessageSize"/>.</exception>
    public async ValueTask<WebSocketMessageType> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        _count = 0;
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
        }

        // Bounded: each pass adds at least one byte or ends, and the size is capped.
        while (true)
        {
            if (_count == _buffer.Length)
            {
                if (_buffer.Length >= MaxMessageSize)
                {
                    throw new InvalidDataException($"A WebSocket message exceeds {MaxMessageSize} bytes.");
                }

                Grow();
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

    /// <summary>Gives a pooled buffer back (the last message is then gone); does nothing for an owned one.</summary>
    public void Release()
    {
        if (pooled && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _count = 0;
        }
    }

    private void Grow()
    {
        if (!pooled)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        _buffer.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>The start of a message as text, quoted, for error messages.</summary>
    public static string Preview(ReadOnlySpan<byte> message)
    {
        const int max = 120;
        var text = Encoding.UTF8.GetString(message[..Math.Min(message.Length, max)]);
        return message.Length > max ? $"'{text}…' ({message.Length} bytes)" : $"'{text}'";
    }
}
