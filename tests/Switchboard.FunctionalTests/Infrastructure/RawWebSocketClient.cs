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

    /// <summary>Connects and completes the opening handshake; fails unless the server answers 101.</summary>
    public static async Task<RawWebSocketClient> ConnectAsync(Uri webSocketUri)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(webSocketUri.Host, webSocketUri.Port).DefaultTimeout();
        var stream = tcp.GetStream();
        var request =
            $"GET {webSocketUri.PathAndQuery} HTTP/1.1\r\nHost: {webSocketUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
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
        return new RawWebSocketClient(tcp, stream);
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

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return default;
    }
}
