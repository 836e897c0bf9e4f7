using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketOutbox
{
    /// <summary>
    /// The most bytes of frames one coalesced write carries: Kestrel's default output buffer
    /// (<c>KestrelServerLimits.MaxResponseBufferSize</c>, 64 KiB), so one batch fills the pipe once instead of
    /// overrunning it, and the pooled buffer stays small. A message whose frame is larger goes alone, without a copy.
    /// </summary>
    private const int MaxBatchBytes = 64 * 1024;

    /// <summary>
    /// Awaits the write in progress, then writes what was queued meanwhile, until the queue is empty. A backlog of two or
    /// more messages goes out as one write of encoded frames (one flush for the lot); a lone message or the close frame
    /// goes through the WebSocket.
    /// </summary>
    /// <param name="write">The write in progress.</param>
    /// <param name="written">How many messages it carries (0 for the close frame), counted once it completes.</param>
    /// <param name="writtenBytes">Their payload bytes, counted with them.</param>
    private async Task DrainAsync(ValueTask write, int written, long writtenBytes)
    {
        try
        {
            while (true)
            {
                await write.ConfigureAwait(false);
                if (written > 0)
                {
                    _metrics.MessagesSent(written, writtenBytes);
                }

                Outgoing single = default;
                byte[]? batch;
                int batchLength;
                lock (_sync)
                {
                    if (_queue.Count == 0)
                    {
                        _writing = false;
                        SignalIdleLocked();
                        return;
                    }

                    written = TakeBatchLocked(out batch, out batchLength, out writtenBytes);
                    if (batch is null)
                    {
                        single = _queue.Dequeue();
                        _queuedBytes -= single.Size;
                        written = single.IsClose ? 0 : 1;
                        writtenBytes = single.Message?.Data.Length ?? 0;
                    }

                    SignalSpaceLocked();
                }

                write = batch is null ? Write(single) : WriteBatchAsync(batch, batchLength);
            }
        }
        catch (Exception e)
        {
            // The connection is gone (aborted, or the client vanished); the receive side reports the disconnect.
            Log.SendFailed(_logger, _path, e);
            lock (_sync)
            {
                _closed = true;
                _writing = false;
                ClearLocked();
                SignalSpaceLocked();
                SignalIdleLocked();
            }
        }
    }

    /// <summary>
    /// Dequeues the messages at the head of a backlog, up to <see cref="MaxBatchBytes"/> of frames, encoded into one
    /// pooled buffer; returns how many (and their payload bytes, for the metrics), or 0 (and no buffer) when the head should go alone.
    /// </summary>
    /// <remarks>
    /// The frames are encoded under the lock, so no list of dequeued messages has to outlive the batch (it would stay
    /// allocated with every connection that once had a backlog); the only other user of the lock is this connection's
    /// own application, and copying at most 64 KiB takes microseconds.
    /// </remarks>
    private int TakeBatchLocked(out byte[]? batch, out int length, out long payloadBytes)
    {
        batch = null;
        length = 0;
        payloadBytes = 0;

        // Alone, a message is written as it is (no copy: the latency path). Encoding needs the transport, with writes
        // serialised against the socket's own frames.
        if (_transport is null || _queue.Count < 2 || !_queue.TryPeek(out var first) || first.Message is not { } head
            || WebSocketFrameWriter.FrameLength(head.Data.Length) > MaxBatchBytes)
        {
            return 0;
        }

        // Every message's Size (payload plus the per-message overhead) exceeds its frame (payload plus a header of at
        // most 10 bytes), so the queued bytes bound the frames of the whole queue.
        batch = ArrayPool<byte>.Shared.Rent((int)Math.Min(MaxBatchBytes, _queuedBytes));
        var count = 0;
        while (_queue.TryPeek(out var next) && next.Message is { } message
            && length + WebSocketFrameWriter.FrameLength(message.Data.Length) <= MaxBatchBytes)
        {
            length += WebSocketFrameWriter.Write(batch.AsSpan(length), message.IsText, message.Data.Span);
            _queue.Dequeue();
            _queuedBytes -= next.Size;
            payloadBytes += message.Data.Length;
            count++;
        }

        return count;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteBatchAsync(byte[] batch, int length)
    {
        try
        {
            await _transport!.WriteAsync(batch.AsMemory(0, length), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private ValueTask Write(Outgoing outgoing)
    {
        try
        {
            if (outgoing.IsClose)
            {
                return new ValueTask(_socket.CloseOutputAsync((WebSocketCloseStatus)outgoing.CloseCode, outgoing.CloseReason, CancellationToken.None));
            }

            var message = outgoing.Message!;
            return _socket.SendAsync(
                message.Data, message.IsText ? WebSocketMessageType.Text : WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }
}
