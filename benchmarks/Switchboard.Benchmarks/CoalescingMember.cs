using System.Buffers;

namespace Switchboard.Benchmarks;

/// <summary>
/// One socket in a coalesced ceiling room: broadcasts enqueue ready-made frames (encoded once for the whole room), and
/// one drain at a time writes everything queued with one write (and so one flush) on the upgraded stream. While the
/// transport keeps up, that is one write per frame; when a backlog builds, the next drain takes all of it at once.
/// The queue is bounded by bytes: past <see cref="MaxQueuedBytes"/> the connection is aborted, so a stalled reader
/// costs the others nothing.
/// </summary>
internal sealed class CoalescingMember(Stream stream, Action abort)
{
    /// <summary>What one socket may have queued before it is dropped: 4 MiB, as Switchboard's outbox budget.</summary>
    public const int MaxQueuedBytes = 4 << 20;

    private readonly Queue<byte[]> _queue = new();
    private readonly ArrayBufferWriter<byte> _batch = new(16 * 1024);
    private long _queuedBytes;
    private bool _draining;
    private bool _closed;
    private Task _drain = Task.CompletedTask;

    /// <summary>Queues one frame; starts a drain unless one is running. Never blocks the broadcasting sender.</summary>
    public void Enqueue(byte[] frame)
    {
        lock (_queue)
        {
            if (_closed)
            {
                return;
            }

            if (_queuedBytes + frame.Length > MaxQueuedBytes)
            {
                _closed = true;
                _queue.Clear();
                abort();
                return;
            }

            _queue.Enqueue(frame);
            _queuedBytes += frame.Length;
            if (_draining)
            {
                return;
            }

            _draining = true;
            _drain = DrainAsync();
        }
    }

    /// <summary>Stops queuing and waits for the running drain, so the close frame is written after it, not into it.</summary>
    public async Task StopAsync()
    {
        Task drain;
        lock (_queue)
        {
            _closed = true;
            _queue.Clear();
            drain = _drain;
        }

        await drain;
    }

    private async Task DrainAsync()
    {
        // Started under the lock of Enqueue (Monitor is re-entrant): a write that completes at once (the transport keeps
        // up) costs no task switch; one that does not returns to the sender, and the backlog grows for the next pass.
        // Bounded: each pass writes what was queued; it ends when the queue is empty or the member is closed.
        while (true)
        {
            lock (_queue)
            {
                if (_closed || _queue.Count == 0)
                {
                    _draining = false;
                    return;
                }

                _batch.ResetWrittenCount();
                while (_queue.TryDequeue(out var frame))
                {
                    _batch.Write(frame);
                }

                _queuedBytes = 0;
            }

            try
            {
                await stream.WriteAsync(_batch.WrittenMemory);
            }
            catch (Exception ex) when (CeilingServer.IsDisconnect(ex))
            {
                lock (_queue)
                {
                    _closed = true;
                    _draining = false;
                    _queue.Clear();
                }

                return;
            }
        }
    }

    /// <summary>An unmasked server text frame holding <paramref name="payload"/>, FIN set.</summary>
    public static byte[] TextFrame(ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + payload.Length];
        frame[0] = 0x81;
        if (header == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else if (header == 4)
        {
            frame[1] = 126;
            frame[2] = (byte)(payload.Length >> 8);
            frame[3] = (byte)payload.Length;
        }
        else
        {
            frame[1] = 127;
            for (var i = 0; i < 8; i++)
            {
                frame[9 - i] = (byte)((long)payload.Length >> (8 * i));
            }
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
