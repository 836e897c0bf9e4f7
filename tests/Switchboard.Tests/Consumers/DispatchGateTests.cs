using Switchboard.Internal;

namespace Switchboard.Tests.Consumers;

public sealed class DispatchGateTests
{
    [Fact]
    public async Task EnterAsync_WhenFree_CompletesAtOnce()
    {
        var gate = new DispatchGate();

        Assert.True(gate.EnterAsync().AsTask().IsCompletedSuccessfully);
        gate.Exit();
        await gate.EnterAsync();
        gate.Exit();
    }

    [Fact]
    public async Task EnterAsync_WhileHeld_WaitsAndEntersInOrderAfterExit()
    {
        var gate = new DispatchGate();
        await gate.EnterAsync();

        var first = gate.EnterAsync().AsTask();
        var second = gate.EnterAsync().AsTask();
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        gate.Exit();
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(second.IsCompleted);

        gate.Exit();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        gate.Exit();
        Assert.True(gate.EnterAsync().AsTask().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task EnterAsync_ManyConcurrentCallers_NeverOverlap()
    {
        const int Callers = 8;
        const int Rounds = 2_000;
        var gate = new DispatchGate();
        var inside = 0;
        var overlaps = 0;
        var total = 0;

        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                await gate.EnterAsync();
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                total++;
                if (i % 64 == 0)
                {
                    await Task.Yield();
                }

                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        }))).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, overlaps);
        Assert.Equal(Callers * Rounds, total);
    }
}
