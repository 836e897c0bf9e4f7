using System.Net.WebSockets;

namespace Switchboard.Benchmarks;

/// <summary>
/// One socket in a ceiling chat room; a semaphore keeps its sends one at a time. It is not disposed: another
/// member's broadcast may still hold it for a moment after it left (and a SemaphoreSlim without a wait handle needs no disposal).
/// </summary>
internal sealed class ChatMember(WebSocket socket, CancellationToken connectionAborted)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>
    /// Sends one text message. A member that is gone is skipped, so it never breaks another member's broadcast.
    /// The token is this member's own: cancelling a WebSocket send aborts that socket, so a sender's token must not be used.
    /// </summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> message)
    {
        try
        {
            await _sendLock.WaitAsync(connectionAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, connectionAborted);
            }
        }
        catch (Exception ex) when (CeilingServer.IsDisconnect(ex))
        {
            // This member is gone; its own loop removes it.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Answers the client's close (after it left the room, so no broadcast races the close frame).</summary>
    public async ValueTask CloseAsync()
    {
        try
        {
            await _sendLock.WaitAsync(connectionAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (socket.State == WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, connectionAborted);
            }
        }
        catch (Exception ex) when (CeilingServer.IsDisconnect(ex))
        {
            // Gone already.
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
