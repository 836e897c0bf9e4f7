using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    private enum PayloadStatus
    {
        Complete,
        TooBig,
        Closed,
    }

    /// <summary>Reads whole messages until the client's close frame or the connection's loss, and hands them to the application.</summary>
    /// <remarks>The loop only waits for the next frame; reading and handing over a message is <see cref="ReceiveMessageAsync"/>,
    /// so the state an idle socket keeps while it waits is this loop's alone (a few fields, not the payload's).</remarks>
    private async Task ReceiveLoopAsync(WebSocket socket)
    {
        // Off the accepting send's thread (see AcceptCoreAsync); with the flow suppressed, in no execution context.
        await Task.Yield();
        try
        {
            while (true)
            {
                // Wait for the next frame with an empty buffer: an idle connection holds no receive buffer.
                var header = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (header.MessageType == WebSocketMessageType.Close || !await ReceiveMessageAsync(socket, header).ConfigureAwait(false))
                {
                    OnClientClosed(CloseCodeOf(socket));
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // Dropped without a close frame, aborted (keep-alive timeout, close deadline, receive cancelled), or a protocol error.
            Log.ConnectionLost(_logger, Path, e);
            OnConnectionLost();
        }
    }

    /// <summary>Reads the message whose first frame <paramref name="header"/> announced and hands it to the application.</summary>
    /// <returns>False when the client's close frame came instead of the rest of the message.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReceiveMessageAsync(WebSocket socket, ValueWebSocketReceiveResult header)
    {
        var payload = ReadOnlyMemory<byte>.Empty;
        if (!header.EndOfMessage)
        {
            var (status, data) = await ReadPayloadAsync(socket).ConfigureAwait(false);
            if (status != PayloadStatus.Complete)
            {
                // Too big: the 1009 close is under way; keep reading (and dropping) until the client answers it.
                return status != PayloadStatus.Closed;
            }

            payload = data;
        }

        _server.Metrics.MessageReceived(payload.Length);
        var message = new WebSocketReceiveEvent(payload, header.MessageType == WebSocketMessageType.Text);
        if (!TryDeliver(message))
        {
            await DeliverSlowAsync(message).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Assembles one message from its frames into a pooled buffer, then copies it out at its exact size.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(PayloadStatus Status, byte[] Data)> ReadPayloadAsync(WebSocket socket)
    {
        var max = _options.MaxIncomingMessageSize;

        // Never read more than max + 1 bytes: one byte past the limit proves the message is too big.
        var window = (int)Math.Min((long)max + 1, int.MaxValue);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(window, InitialReceiveBufferSize));
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, window));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await socket.ReceiveAsync(buffer.AsMemory(count, Math.Min(buffer.Length, window) - count), CancellationToken.None)
                    .ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (PayloadStatus.Closed, []);
                }

                count += result.Count;
                if (count > max)
                {
                    return await RefuseTooBigAsync(socket, buffer, result.EndOfMessage).ConfigureAwait(false);
                }

                if (result.EndOfMessage)
                {
                    return (PayloadStatus.Complete, buffer.AsSpan(0, count).ToArray());
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<(PayloadStatus Status, byte[] Data)> RefuseTooBigAsync(WebSocket socket, byte[] scratch, bool endOfMessage)
    {
        Log.MessageTooBig(_logger, Path, _options.MaxIncomingMessageSize);
        CloseFromServer(WebSocketCloseCode.MessageTooBig, "Message too big", discardQueued: false);
        while (!endOfMessage)
        {
            var result = await socket.ReceiveAsync(scratch.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (PayloadStatus.Closed, []);
            }

            endOfMessage = result.EndOfMessage;
        }

        return (PayloadStatus.TooBig, []);
    }

    private static int CloseCodeOf(WebSocket socket) =>
        socket.CloseStatus is { } status && status != WebSocketCloseStatus.Empty ? (int)status : WebSocketCloseCode.NoStatusReceived;
}
