namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// A write-only duplex stand-in for a connection whose writes can be held back, as a client that stops reading holds
/// back a server's writes. Reads never complete. Everything written is kept in order.
/// </summary>
public sealed class GatedStream : Stream
{
    private readonly object _sync = new();
    private readonly MemoryStream _written = new();
    private TaskCompletionSource _gate = CreateOpenGate();
    private int _pendingWrites;
    private int _writes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>How many writes are waiting at the gate.</summary>
    public int PendingWrites => Volatile.Read(ref _pendingWrites);

    /// <summary>How many writes there were: with coalescing, fewer than the frames written.</summary>
    public int Writes => Volatile.Read(ref _writes);

    public byte[] Written()
    {
        lock (_sync)
        {
            return _written.ToArray();
        }
    }

    /// <summary>From now on, writes wait until <see cref="Open"/>.</summary>
    public void Hold()
    {
        lock (_sync)
        {
            if (_gate.Task.IsCompleted)
            {
                _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Open()
    {
        lock (_sync)
        {
            _gate.TrySetResult();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Task gate;
        lock (_sync)
        {
            // Data is taken at once (as Kestrel's pipe takes it); only the completion waits, as a flush does.
            _written.Write(buffer.Span);
            _writes++;
            gate = _gate.Task;
        }

        if (!gate.IsCompleted)
        {
            Interlocked.Increment(ref _pendingWrites);
            try
            {
                await gate.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _pendingWrites);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static TaskCompletionSource CreateOpenGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
