using System.Net.Sockets;
using System.Text;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// A WebSocket client at the byte level, for frames <see cref="System.Net.WebSockets.ClientWebSocket"/> cannot send
/// (for example a close frame without a status code).
/// </summary>
public sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;

    private RawWebSocketClient(TcpClient tcp, NetworkStream stream)
    {
        _tcp = tcp;
        Stream = stream;
    }

    public NetworkStream Stream { get; }

    /// <summary>Gets the handshake's response head (status line and headers).</summary>
    public string ResponseHead { get; private init; } = "";

    /// <summary>Connects and completes the opening handshake; fails unless the server answers 101.</summary>
    /// <param name="webSocketUri">The ws:// address.</param>
    /// <param name="receiveBufferSize">A small socket receive buffer makes a client that reads slowly hold the server's
    /// writes back sooner (the kernel absorbs less).</param>
    /// <param name="extensions">A <c>Sec-WebSocket-Extensions</c> offer, for example <c>permessage-deflate</c>.</param>
    public static async Task<RawWebSocketClient> ConnectAsync(Uri webSocketUri, int? receiveBufferSize = null, string? extensions = null)
    {
        var tcp = new TcpClient();
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        await tcp.ConnectAsync(webSocketUri.Host, webSocketUri.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        var request =
            $"GET {webSocketUri.PathAndQuery} HTTP/1.1\r\nHost: {webSocketUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
            (extensions is null ? "" : $"Sec-WebSocket-Extensions: {extensions}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).DefaultTimeout();

        // Read the response head byte by byte, so that no frame after it is consumed.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one).DefaultTimeout() == 0 || head.Length > 8192)
            {
                throw new InvalidOperationException("The server closed during the handshake: " + head);
            }

            head.Append((char)one[0]);
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return new RawWebSocketClient(tcp, stream) { ResponseHead = head.ToString() };
    }

    /// <summary>Sends a masked frame (clients must mask) with a payload of at most 125 bytes.</summary>
    public async Task SendFrameAsync(byte opcode, byte[] payload)
    {
        Assert.True(payload.Length <= 125);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        frame[1] = (byte)(0x80 | payload.Length);

        // A zero mask leaves the payload as it is.
        payload.CopyTo(frame, 6);
        await Stream.WriteAsync(frame).DefaultTimeout();
    }

    /// <summary>
    /// Reads one frame strictly as RFC 6455 says a server must send it: unmasked, no reserved bits, a known opcode, and
    /// control frames whole and at most 125 bytes. Anything else fails the test: it means a frame was torn or corrupted.
    /// </summary>
    /// <param name="allowCompressed">Whether RSV1 may be set on a data frame (per-message deflate was negotiated).</param>
    public async Task<RawFrame> ReceiveFrameAsync(bool allowCompressed = false)
    {
        var header = new byte[2];
        await Stream.ReadExactlyAsync(header).DefaultTimeout();
        var fin = (header[0] & 0x80) != 0;
        var opcode = (byte)(header[0] & 0x0F);
        var compressed = (header[0] & 0x40) != 0;
        Assert.True((header[0] & (allowCompressed && opcode is 0x1 or 0x2 ? 0x30 : 0x70)) == 0, $"reserved bits set in 0x{header[0]:X2}");
        Assert.True((header[1] & 0x80) == 0, "a server frame must not be masked");
        Assert.Contains(opcode, new byte[] { 0x0, 0x1, 0x2, 0x8, 0x9, 0xA });
        long length = header[1] & 0x7F;
        if (length >= 126)
        {
            var extended = new byte[length == 126 ? 2 : 8];
            await Stream.ReadExactlyAsync(extended).DefaultTimeout();
            length = extended.Aggregate(0L, (total, b) => (total << 8) | b);
        }

        if (opcode >= 0x8)
        {
            Assert.True(fin && length <= 125, "a control frame is whole and at most 125 bytes");
        }

        Assert.True(length <= 16 * 1024 * 1024, $"implausible frame length {length}");
        var payload = new byte[length];
        await Stream.ReadExactlyAsync(payload).DefaultTimeout();
        return new RawFrame(opcode, fin, payload) { Compressed = compressed };
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return default;
    }

    /// <summary>A frame as received.</summary>
    public sealed record RawFrame(byte Opcode, bool Fin, byte[] Payload)
    {
        /// <summary>Gets a value indicating whether RSV1 was set: a per-message-deflate compressed message.</summary>
        public bool Compressed { get; init; }

        public string Text => Encoding.UTF8.GetString(Payload);
    }
}
