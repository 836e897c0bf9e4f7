using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// A client at the byte level on a raw TCP socket: writes any request and any bytes, reads the response head and then
/// frames strictly as RFC 6455 says a server must send them (a server frame that breaks a rule is a finding).
/// </summary>
internal sealed class FuzzSocket : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private FuzzSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<FuzzSocket> ConnectAsync(Uri server)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(s_timeout);
            await tcp.ConnectAsync(server.Host, server.Port, timeout.Token).ConfigureAwait(false);
            return new FuzzSocket(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>Writes bytes, in pieces of the given sizes when there are any (the server must reassemble any split).</summary>
    public async Task WriteAsync(byte[] bytes, IReadOnlyList<int>? pieces = null)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        if (pieces is null || pieces.Count == 0)
        {
            await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            return;
        }

        var at = 0;
        foreach (var piece in pieces)
        {
            if (at >= bytes.Length)
            {
                break;
            }

            var count = Math.Min(piece, bytes.Length - at);
            await _stream.WriteAsync(bytes.AsMemory(at, count), timeout.Token).ConfigureAwait(false);
            at += count;
        }

        if (at < bytes.Length)
        {
            await _stream.WriteAsync(bytes.AsMemory(at), timeout.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the response head (status line and headers) byte by byte, so that no frame after it is consumed.</summary>
    /// <returns>The status code and the head, or 0 when the server closed without a whole head.</returns>
    public async Task<(int Status, string Head)> ReadHeadAsync()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await _stream.ReadAsync(one, timeout.Token).ConfigureAwait(false) == 0 || head.Length > 64 * 1024)
            {
                return (0, head.ToString());
            }

            head.Append((char)one[0]);
        }

        var text = head.ToString();
        var parts = text.Split(' ', 3);
        return (parts.Length > 1 && int.TryParse(parts[1], out var status) ? status : 0, text);
    }

    /// <summary>Reads what follows the head up to the end of the connection (the response body with Connection: close).</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        using var body = new MemoryStream();
        await _stream.CopyToAsync(body, timeout.Token).ConfigureAwait(false);
        return body.ToArray();
    }

    /// <summary>Reads one server frame; <see langword="null"/> at the end of the connection.</summary>
    /// <exception cref="InvalidDataException">The server sent a frame that breaks RFC 6455.</exception>
    public async Task<ServerFrame?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        var header = new byte[2];
        if (!await TryReadExactlyAsync(header, timeout.Token).ConfigureAwait(false))
        {
            return null;
        }

        var fin = (header[0] & 0x80) != 0;
        var opcode = (byte)(header[0] & 0x0F);
        if ((header[0] & 0x70) != 0 || (header[1] & 0x80) != 0 || opcode is not (0x0 or 0x1 or 0x2 or 0x8 or 0x9 or 0xA))
        {
            throw new InvalidDataException($"The server sent a frame header the RFC forbids: {header[0]:X2} {header[1]:X2}.");
        }

        long length = header[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            if (!await TryReadExactlyAsync(extended, timeout.Token).ConfigureAwait(false))
            {
                return null;
            }

            length = length == 126 ? BinaryPrimitives.ReadUInt16BigEndian(extended) : BinaryPrimitives.ReadInt64BigEndian(extended);
        }

        if (length is < 0 or > 16 * 1024 * 1024 || (opcode >= 0x8 && (!fin || length > 125)))
        {
            throw new InvalidDataException($"The server sent a frame of length {length} (opcode {opcode:X}, fin {fin}).");
        }

        var payload = new byte[length];
        return await TryReadExactlyAsync(payload, timeout.Token).ConfigureAwait(false) ? new ServerFrame(opcode, fin, payload) : null;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return default;
    }

    private async Task<bool> TryReadExactlyAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            // Reset by the server after its close frame: the end of the connection.
            return false;
        }
    }
}
