using System.Numerics;
using System.Runtime.CompilerServices;

namespace Switchboard.Internal;

/// <summary>
/// A FIFO queue kept in a chain of small arrays instead of one ring buffer: the backlog queues of a channel and of a
/// socket's outbox, where a burst queues thousands of items for a moment. Not thread-safe: its owner's lock guards it.
/// </summary>
/// <remarks>
/// <para>A <see cref="Queue{T}"/> grows by copying into an array twice as large and never shrinks. A profile of a
/// flat-out broadcast found two thirds of the server's allocated bytes in those copies (the 100 members' channel queues
/// and outbox queues growing to thousands of entries in every burst); past 2,048 entries of 32 bytes the next array
/// (128 KiB) is on the large-object heap, so the bursts drove background gen2 collections, and every connection that once had a backlog kept
/// its largest array for life.</para>
/// <para>Here a backlog grows by segments of 16, 32, ... up to <see cref="MaxSegmentLength"/> items (never on the
/// large-object heap), nothing is copied, a consumed segment is kept as the spare for the next one the tail needs (a
/// steady backlog allocates nothing), and a queue that empties keeps at most its first, smallest segment.</para>
/// <para>Segments a queue lets go are pooled for every queue of the same item type (<see cref="SegmentPool"/>): in a
/// flat-out broadcast the sender's thread grows the members' backlogs while their own threads drain them, and without
/// the pool those segments were two thirds of the server's allocated bytes, living just long enough (a backlog's few
/// hundred milliseconds) to be promoted and collected in gen1 and gen2.</para>
/// </remarks>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class SegmentedQueue<T>
{
    private const int FirstSegmentLength = 16;

    // 512 items of the largest item queued here (32 bytes) are 16 KiB: far from the large-object heap's 85,000 bytes.
    private const int MaxSegmentLength = 512;

    private Segment? _head;
    private Segment? _tail;
    private Segment? _spare;

    /// <summary>Gets the number of queued items.</summary>
    public int Count { get; private set; }

    /// <summary>Adds an item at the tail.</summary>
    /// <param name="item">The item.</param>
    public void Enqueue(T item)
    {
        var tail = _tail;
        if (tail is null)
        {
            tail = _head = _tail = SegmentPool.Rent(FirstSegmentLength);
        }
        else if (tail.End == tail.Items.Length)
        {
            var next = TakeSegment(Math.Min(tail.Items.Length * 2, MaxSegmentLength));
            tail.Next = next;
            tail = _tail = next;
        }

        tail.Items[tail.End++] = item;
        Count++;
    }

    /// <summary>Reads the item at the head without removing it.</summary>
    /// <param name="item">The head item, or the default when the queue is empty.</param>
    /// <returns>Whether the queue has an item.</returns>
    public bool TryPeek(out T item)
    {
        if (Count == 0)
        {
            item = default!;
            return false;
        }

        item = _head!.Items[_head.Start];
        return true;
    }

    /// <summary>Removes the item at the head.</summary>
    /// <param name="item">The head item, or the default when the queue is empty.</param>
    /// <returns>Whether the queue had an item.</returns>
    public bool TryDequeue(out T item)
    {
        if (Count == 0)
        {
            item = default!;
            return false;
        }

        var head = _head!;
        item = head.Items[head.Start];

        // Cleared, so that a delivered message is not kept alive by the array.
        head.Items[head.Start++] = default!;
        Count--;
        if (head.Start == head.End)
        {
            ReleaseHead(head);
        }

        return true;
    }

    /// <summary>Removes the item at the head.</summary>
    /// <returns>The head item.</returns>
    /// <exception cref="InvalidOperationException">The queue is empty.</exception>
    public T Dequeue() => TryDequeue(out var item) ? item : throw new InvalidOperationException("The queue is empty.");

    /// <summary>Removes every item and lets every segment go.</summary>
    public void Clear()
    {
        _head = _tail = _spare = null;
        Count = 0;
    }

    private void ReleaseHead(Segment head)
    {
        if (head.Next is { } next)
        {
            // The tail is elsewhere: keep the larger of this segment and the spare as the spare (it fits the next one
            // the tail needs), and pool the other.
            _head = next;
            head.Next = null;
            if (_spare is null)
            {
                _spare = Reset(head);
            }
            else if (_spare.Items.Length < head.Items.Length)
            {
                SegmentPool.Return(_spare);
                _spare = Reset(head);
            }
            else
            {
                SegmentPool.Return(head);
            }

            return;
        }

        // Empty: keep only a first-size segment, so a connection that once had a burst holds no more than that.
        if (_spare is { } spare)
        {
            _spare = null;
            SegmentPool.Return(spare);
        }

        if (head.Items.Length > FirstSegmentLength)
        {
            _head = _tail = null;
            SegmentPool.Return(head);
        }
        else
        {
            Reset(head);
        }
    }

    private static Segment Reset(Segment segment)
    {
        segment.Start = segment.End = 0;
        return segment;
    }

    private Segment TakeSegment(int length)
    {
        if (_spare is { } spare && spare.Items.Length >= length)
        {
            _spare = null;
            return spare;
        }

        return SegmentPool.Rent(length);
    }

    /// <summary>
    /// The segments no queue of this item type uses, by length (16 to 512 items), at most 8 MiB of them for the type:
    /// what a burst's backlogs let go is there for the next burst. Only a fully consumed segment comes back (every slot
    /// cleared as it was dequeued), so the pool keeps no item alive.
    /// </summary>
    /// <remarks>The bound is what a flat-out broadcast to 100 readers needed (10 s of it, measured with
    /// <c>dotnet-counters</c>): no pool, 572 MB allocated and 8 gen1 or gen2 collections; 4 MiB, 217 MB and 4 gen1
    /// collections; 8 MiB, 127 MB and 2 gen0 collections. A process keeps at most that much per item type after a burst
    /// (the channel layer's queues and the sockets' outboxes: 16 MiB).</remarks>
    private static class SegmentPool
    {
        private const long MaxBytes = 8 << 20;

        // Index: log2(length / FirstSegmentLength).
        private static readonly Stack<Segment>[] s_free =
            [.. Enumerable.Range(0, BitOperations.Log2(MaxSegmentLength / FirstSegmentLength) + 1).Select(_ => new Stack<Segment>())];

        private static long s_bytes;

        public static Segment Rent(int length)
        {
            var free = s_free[IndexOf(length)];
            lock (free)
            {
                if (free.TryPop(out var segment))
                {
                    Interlocked.Add(ref s_bytes, -BytesOf(length));
                    return segment;
                }
            }

            return new Segment(length);
        }

        public static void Return(Segment segment)
        {
            Reset(segment).Next = null;
            var length = segment.Items.Length;
            var bytes = BytesOf(length);
            if (Interlocked.Add(ref s_bytes, bytes) > MaxBytes)
            {
                // Full: this one is the garbage collector's.
                Interlocked.Add(ref s_bytes, -bytes);
                return;
            }

            var free = s_free[IndexOf(length)];
            lock (free)
            {
                free.Push(segment);
            }
        }

        private static long BytesOf(int length) => (long)length * Unsafe.SizeOf<T>();

        private static int IndexOf(int length) => BitOperations.Log2((uint)(length / FirstSegmentLength));
    }

    private sealed class Segment(int length)
    {
        public T[] Items { get; } = new T[length];

        public int Start { get; set; }

        public int End { get; set; }

        public Segment? Next { get; set; }
    }
}
