namespace Switchboard.Tests.Diagnostics;

public class StripedCounterTests
{
    [Fact]
    public void Sum_NothingAdded_IsZero()
    {
        Assert.Equal(0, new StripedCounter().Sum());
    }

    [Fact]
    public async Task Add_FromManyThreadsAtOnce_SumsEveryAdd()
    {
        var counter = new StripedCounter();
        const int threads = 8;
        const int adds = 100_000;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(10));
                for (var i = 0; i < adds; i++)
                {
                    counter.Add(t % 2 == 0 ? 1 : 3);
                }
            },
            TaskCreationOptions.LongRunning));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((threads / 2 * 1L + threads / 2 * 3L) * adds, counter.Sum());
    }
}
