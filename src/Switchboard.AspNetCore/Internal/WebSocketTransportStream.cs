using System.Runtime.CompilerServices;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The upgraded connection's stream, as the <see cref="System.Net.WebSockets.WebSocket"/> and the outbox both write to
/// it: writes are serialised, so that a batch of frames the outbox encoded itself never interleaves with a frame the
/// WebSocket writes (a keep-alive ping, a pong, the close frame).
/// </summary>
/// <remarks>
/// <see cref="System.Net.WebSockets.WebSocket"/> writes each frame with exactly one <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// and serialises its own frames; the outbox writes its batches one at a time. So one lock held for the duration of each
/// write is enough to keep every frame whole. Reads pass straight through (a zero-byte read stays a zero-byte read,
/// so an idle connection still holds no receive buffer), watched by a <see cref="ClientFrameScanner"/>: after the
/// header of an unmasked frame, reads return zero bytes until the WebSocket has the four mask bytes it waits for, so
/// that it refuses the frame with 1002 at once instead of waiting for bytes that may never come.
/// </remarks>
internal sealed class WebSocketTransportStream : Stream
{
    // The most bytes the WebSocket may still wait for after an unmasked frame's second header byte: an 8-byte length and the mask.
    private const int UnmaskedFramePadding = 12;

    private readonly Stream _inner;
    private readonly ClientFrameScanner _scanner = new();
    private int _padding;

    // The write lock. Not a SemaphoreSlim: its Wait and Release each take a monitor, two per frame, and a profile of a
    // room broadcast showed them contended between the writing thread and the one completing the previous write.
    // Here the uncontended case is one compare-exchange to enter and one exchange to leave; only a writer that finds
    // the lock held (a ping or pong colliding with a batch) queues under _waitersSync.
    private readonly object _waitersSync = new();
    private Queue<TaskCompletionSource>? _waiters;
    private int _held;
    private int _waiting;

    public WebSocketTransportStream(Stream inner)
    {
        _inner = inner;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The usual case: nobody else is writing, and Kestrel's pipe takes the bytes synchronously.
        if (!TryEnter())
        {
            return WriteAfterLockAsync(buffer, cancellationToken);
        }

        ValueTask write;
        try
        {
            write = _inner.WriteAsync(buffer, cancellationToken);
        }
        catch
        {
            Exit();
            throw;
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            Exit();
            return default;
        }

        return ExitAfterAsync(write);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_padding > 0)
        {
            return new ValueTask<int>(Pad(buffer.Span));
        }

        var read = _inner.ReadAsync(buffer, cancellationToken);
        if (buffer.IsEmpty)
        {
            // The idle wait: nothing to scan, and no state machine held per idle connection.
            return read;
        }

        if (!read.IsCompletedSuccessfully)
        {
            return ScanAfterAsync(read, buffer);
        }

        var count = read.Result;
        Scan(buffer.Span[..count]);
        return new ValueTask<int>(count);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_padding > 0)
        {
            return Pad(buffer.AsSpan(offset, count));
        }

        var read = _inner.Read(buffer, offset, count);
        Scan(buffer.AsSpan(offset, read));
        return read;
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ScanAfterAsync(ValueTask<int> read, Memory<byte> buffer)
    {
        var count = await read.ConfigureAwait(false);
        Scan(buffer.Span[..count]);
        return count;
    }

    private void Scan(ReadOnlySpan<byte> bytes)
    {
        if (!_scanner.FoundUnmaskedFrame && _scanner.Scan(bytes))
        {
            _padding = UnmaskedFramePadding;
        }
    }

    /// <summary>Returns zero bytes in place of the mask an unmasked frame lacks; the connection ends with the WebSocket's 1002.</summary>
    private int Pad(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _padding);
        buffer[..count].Clear();
        _padding -= count;
        return count;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteAfterLockAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        // Not cancellable while queued: a writer that left the queue would have to be found and removed; the socket's
        // writers pass no token, and an aborted connection fails the write in progress, which lets the next one in.
        await EnterAsync().ConfigureAwait(false);
        try
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExitAfterAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            Exit();
        }
    }

    private bool TryEnter() => Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    private Task EnterAsync()
    {
        lock (_waitersSync)
        {
            // Counted before the second attempt, so that an Exit that frees the lock now sees a waiter (both sides use
            // full fences: one of them must see the other's write).
            Interlocked.Increment(ref _waiting);
            if (TryEnter())
            {
                Interlocked.Decrement(ref _waiting);
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_waiters ??= new Queue<TaskCompletionSource>()).Enqueue(waiter);
            return waiter.Task;
        }
    }

    private void Exit()
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            Interlocked.Exchange(ref _held, 0);
            if (Volatile.Read(ref _waiting) == 0)
            {
                return;
            }

            // A writer arrived meanwhile: it took the free lock, or it is queued and must be let in.
            lock (_waitersSync)
            {
                if (_waiters is { Count: > 0 } && TryEnter())
                {
                    HandOverLocked();
                }
            }

            return;
        }

        lock (_waitersSync)
        {
            // Under the lock, every counted writer is queued; the lock passes to the first without being freed.
            if (_waiters is { Count: > 0 })
            {
                HandOverLocked();
            }
            else
            {
                Interlocked.Exchange(ref _held, 0);
            }
        }
    }

    private void HandOverLocked()
    {
        var next = _waiters!.Dequeue();
        Interlocked.Decrement(ref _waiting);
        next.TrySetResult();
    }
}
