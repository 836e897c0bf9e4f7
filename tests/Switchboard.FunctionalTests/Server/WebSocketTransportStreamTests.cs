using Switchboard.AspNetCore.Internal;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Server;

/// <summary>The transport's write lock: writes from many callers never overlap, none is lost, none waits forever.</summary>
public class WebSocketTransportStreamTests
{
    [Fact]
    public async Task WriteAsync_ManyConcurrentWriters_NeverOverlapAndAllComplete()
    {
        var inner = new OverlapDetectingStream();
        var transport = new WebSocketTransportStream(inner);
        const int writers = 8;
        const int writesEach = 2000;

        // Each write is 16 copies of one byte: a torn or interleaved write would mix values within a chunk.
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < writesEach; i++)
            {
                await transport.WriteAsync(Enumerable.Repeat((byte)((w * 31) + i), 16).ToArray());
            }
        }));
        await Task.WhenAll(tasks).DefaultTimeout();

        Assert.Equal(0, inner.Overlaps);
        var written = inner.Written();
        Assert.Equal(writers * writesEach * 16, written.Length);
        for (var chunk = 0; chunk < written.Length; chunk += 16)
        {
            Assert.All(written.AsSpan(chunk, 16).ToArray(), b => Assert.Equal(written[chunk], b));
        }
    }

    /// <summary>Completes every other write asynchronously, and counts writes that start while another is in progress.</summary>
    private sealed class OverlapDetectingStream : Stream
    {
        private readonly MemoryStream _written = new();
        private int _active;
        private int _overlaps;
        private int _count;

        public int Overlaps => Volatile.Read(ref _overlaps);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] Written()
        {
            lock (_written)
            {
                return _written.ToArray();
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _active) != 1)
            {
                Interlocked.Increment(ref _overlaps);
            }

            try
            {
                lock (_written)
                {
                    _written.Write(buffer.Span[..8]);
                }

                if (Interlocked.Increment(ref _count) % 2 == 0)
                {
                    await Task.Yield();
                }

                lock (_written)
                {
                    _written.Write(buffer.Span[8..]);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _active);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
