using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>A <c>/ws/notify/</c> listener whose every text frame is queued, so that the HTTP fuzzer takes them one by one.</summary>
internal sealed class NotifyListener : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly Task _loop;

    private NotifyListener(ClientWebSocket socket)
    {
        _socket = socket;
        _loop = ReceiveLoopAsync();
    }

    public static async Task<NotifyListener> ConnectAsync(Uri webSocketBase)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(new Uri(webSocketBase, "ws/notify/"), timeout.Token).ConfigureAwait(false);
        return new NotifyListener(socket);
    }

    /// <summary>The next frame, or a description of why none came within 15 s.</summary>
    public async Task<string> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return "(nothing within 15 s)";
        }
        catch (ChannelClosedException)
        {
            return $"(the listener was closed: {_socket.CloseStatus})";
        }
    }

    /// <summary>Drops what arrives within a short while: after a wrong answer, so that it does not fail the next input too.</summary>
    public async Task DrainAsync()
    {
        await Task.Delay(300).ConfigureAwait(false);
        while (_frames.Reader.TryRead(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _loop.ConfigureAwait(false);
        _socket.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).ConfigureAwait(false);
                    count += result.Count;
                }
                while (!result.EndOfMessage && count < buffer.Length);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _frames.Writer.TryWrite(result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, count) : "(a binary frame)");
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        _frames.Writer.TryComplete();
    }
}
