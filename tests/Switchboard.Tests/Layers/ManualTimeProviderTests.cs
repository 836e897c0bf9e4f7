using Switchboard.Testing;

namespace Switchboard.Tests.Layers;

public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset s_start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Advance_MovesUtcNowAndTimestamp()
    {
        var time = new ManualTimeProvider(s_start);
        var before = time.GetTimestamp();

        time.Advance(TimeSpan.FromSeconds(1.5));

        Assert.Equal(s_start.AddSeconds(1.5), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(1.5), time.GetElapsedTime(before));
        Assert.Equal(TimeZoneInfo.Utc, time.LocalTimeZone);
    }

    [Fact]
    public void Advance_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManualTimeProvider().Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void SetUtcNow_Backwards_ThrowsAndForwardFiresTimers()
    {
        var time = new ManualTimeProvider(s_start);
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromMinutes(1), Timeout.InfiniteTimeSpan);

        Assert.Throws<ArgumentOutOfRangeException>(() => time.SetUtcNow(s_start.AddSeconds(-1)));
        time.SetUtcNow(s_start.AddMinutes(2));

        Assert.Equal(1, fired);
        Assert.Equal(s_start.AddMinutes(2), time.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_OneShot_FiresOnceAtItsDueTime()
    {
        var time = new ManualTimeProvider(s_start);
        var firedAt = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => firedAt.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(firedAt);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal([s_start.AddSeconds(10)], firedAt);
        Assert.Equal(s_start.AddSeconds(39), time.GetUtcNow());
    }

    [Fact]
    public void CreateTimer_Periodic_FiresForEveryPeriodPassed()
    {
        var time = new ManualTimeProvider(s_start);
        var firedAt = new List<DateTimeOffset>();
        using var timer = time.CreateTimer(_ => firedAt.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([s_start.AddSeconds(1), s_start.AddSeconds(3), s_start.AddSeconds(5)], firedAt);
    }

    [Fact]
    public void CreateTimer_Several_FireInDueOrderWithTheirState()
    {
        var time = new ManualTimeProvider();
        var fired = new List<string>();
        using var late = time.CreateTimer(state => fired.Add((string)state!), "late", TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(state => fired.Add((string)state!), "early", TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(["early", "late"], fired);
    }

    [Fact]
    public void CreateTimer_ZeroDueTime_FiresOnTheNextAdvance()
    {
        var time = new ManualTimeProvider();
        var fired = 0;
        using var timer = time.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, fired);

        time.Advance(TimeSpan.Zero);

        Assert.Equal(1, fired);
    }

    [Fact]
    public void Timer_DisposeAndChange_StopAndReschedule()
    {
        var time = new ManualTimeProvider();
        var fired = 0;
        var timer = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.True(timer.Change(TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan));
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, fired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, fired);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, fired);
        Assert.False(timer.Change(TimeSpan.FromSeconds(1), TimeSpan.Zero));
    }

    [Fact]
    public void Timer_CallbackDisposingItself_StopsFiring()
    {
        var time = new ManualTimeProvider();
        var fired = 0;
        ITimer? timer = null;
        timer = time.CreateTimer(_ => { fired++; timer!.Dispose(); }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(1, fired);
    }

    [Fact]
    public async Task Delay_CompletesWhenAdvanced()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(30), time);
        Assert.False(delay.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));

        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void CreateTimer_NegativeDueTime_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManualTimeProvider().CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
    }
}
