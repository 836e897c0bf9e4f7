using System.Runtime.CompilerServices;
using Switchboard.Internal;

namespace Switchboard.Tests.Internal;

public sealed class SegmentedQueueTests
{
    [Fact]
    public void TryDequeue_Empty_ReturnsFalse()
    {
        var queue = new SegmentedQueue<int>();

        Assert.False(queue.TryDequeue(out _));
        Assert.False(queue.TryPeek(out _));
        Assert.Equal(0, queue.Count);
        Assert.Throws<InvalidOperationException>(() => queue.Dequeue());
    }

    [Fact]
    public void Dequeue_BacklogAcrossManySegments_ReturnsEveryItemInOrder()
    {
        var queue = new SegmentedQueue<int>();
        for (var i = 0; i < 10_000; i++)
        {
            queue.Enqueue(i);
        }

        Assert.Equal(10_000, queue.Count);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(queue.TryPeek(out var head));
            Assert.Equal(i, head);
            Assert.Equal(i, queue.Dequeue());
        }

        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Clear_WithBacklog_EmptiesAndStaysUsable()
    {
        var queue = new SegmentedQueue<string>();
        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue($"m{i}");
        }

        queue.Clear();

        Assert.Equal(0, queue.Count);
        queue.Enqueue("next");
        Assert.Equal("next", queue.Dequeue());
    }

    [Fact]
    public void Dequeue_DoesNotKeepDequeuedItemsAlive()
    {
        var queue = new SegmentedQueue<object>();
        var reference = EnqueueAndDequeue(queue);
        queue.Enqueue(new object());

        GC.Collect();
        GC.WaitForPendingFinalizers();

        Assert.False(reference.TryGetTarget(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Operations_RandomSequence_MatchQueueModel(int seed)
    {
        // Bursts and drains of random sizes, checked against Queue<T> after every step.
        var random = new Random(seed);
        var queue = new SegmentedQueue<int>();
        var model = new Queue<int>();
        var next = 0;
        for (var step = 0; step < 5_000; step++)
        {
            switch (random.Next(10))
            {
                case < 4:
                    for (var n = random.Next(1, 700); n > 0; n--)
                    {
                        queue.Enqueue(next);
                        model.Enqueue(next++);
                    }

                    break;
                case < 9:
                    for (var n = random.Next(1, 700); n > 0; n--)
                    {
                        Assert.Equal(model.TryDequeue(out var expected), queue.TryDequeue(out var actual));
                        Assert.Equal(expected, actual);
                    }

                    break;
                default:
                    queue.Clear();
                    model.Clear();
                    break;
            }

            Assert.Equal(model.Count, queue.Count);
            Assert.Equal(model.TryPeek(out var head), queue.TryPeek(out var peeked));
            Assert.Equal(head, peeked);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Operations_RandomSequenceOnQueuesSharingThePool_MatchQueueModels(int seed)
    {
        // Four queues of one item type pass segments to each other through the pool: none may see another's items.
        var random = new Random(seed);
        var queues = Enumerable.Range(0, 4).Select(_ => new SegmentedQueue<long>()).ToArray();
        var models = queues.Select(_ => new Queue<long>()).ToArray();
        var next = 0L;
        for (var step = 0; step < 4_000; step++)
        {
            var i = random.Next(queues.Length);
            var (queue, model) = (queues[i], models[i]);
            if (random.Next(2) == 0)
            {
                for (var n = random.Next(1, 1_500); n > 0; n--)
                {
                    queue.Enqueue(next);
                    model.Enqueue(next++);
                }
            }
            else
            {
                for (var n = random.Next(1, 1_500); n > 0; n--)
                {
                    Assert.Equal(model.TryDequeue(out var expected), queue.TryDequeue(out var actual));
                    Assert.Equal(expected, actual);
                }
            }

            Assert.Equal(model.Count, queue.Count);
        }

        for (var i = 0; i < queues.Length; i++)
        {
            Assert.Equal(models[i], Drain(queues[i]));
        }
    }

    [Fact]
    public void Enqueue_BurstAfterAnotherQueueDrainedOne_ReusesItsSegments()
    {
        // An item type of this test's own, so that no other test shares (and empties) its pool meanwhile.
        Burst(new SegmentedQueue<PoolProbe>(), 10_000);
        var second = new SegmentedQueue<PoolProbe>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        Burst(second, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Without the pool the burst allocates about 164 KB of segments.
        Assert.True(allocated < 1_024, $"The second burst allocated {allocated} bytes.");
    }

    private static void Burst(SegmentedQueue<PoolProbe> queue, int count)
    {
        for (var i = 0; i < count; i++)
        {
            queue.Enqueue(new PoolProbe(i, i));
        }

        // Checked without Assert.Equal per item, which allocates.
        var outOfOrder = 0;
        for (var i = 0; i < count; i++)
        {
            outOfOrder += queue.Dequeue().First == i ? 0 : 1;
        }

        Assert.Equal(0, outOfOrder);
        Assert.Equal(0, queue.Count);
    }

    private static List<long> Drain(SegmentedQueue<long> queue)
    {
        var items = new List<long>(queue.Count);
        while (queue.TryDequeue(out var item))
        {
            items.Add(item);
        }

        return items;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<object> EnqueueAndDequeue(SegmentedQueue<object> queue)
    {
        var item = new object();
        queue.Enqueue(item);
        queue.Enqueue(new object());
        Assert.Same(item, queue.Dequeue());
        return new WeakReference<object>(item);
    }

    private readonly record struct PoolProbe(long First, long Second);
}
