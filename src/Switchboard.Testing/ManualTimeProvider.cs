namespace Switchboard.Testing;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only when a test says so, so that tests of expiry, keepalive and
/// timeouts never sleep. Timers made by <see cref="CreateTimer"/> fire during <see cref="Advance"/> and
/// <see cref="SetUtcNow"/>, in due order, each with the clock set to its due time.
/// </summary>
/// <remarks>
/// <para>Thread-safe: any thread may read the clock, create or change timers and advance time. Advancing is
/// serialised (one advance at a time); timer callbacks run on the advancing thread, outside the provider's lock, so a
/// callback may itself create, change or dispose timers.</para>
/// <para>A timer whose due time has already passed (a zero due time, for example) fires on the next advance, even
/// <c>Advance(TimeSpan.Zero)</c>, not when it is created. <see cref="GetTimestamp"/> counts ticks of 100 ns and never
/// goes backwards: the clock cannot be moved back.</para>
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();

    // Serialises advances, so that timers fire in due order; a Lock is re-entrant, so a timer callback may advance too.
    private readonly Lock _advanceLock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Waiter)> _timerWaiters = [];
    private readonly DateTimeOffset _start;
    private DateTimeOffset _utcNow;
    private long _timerSequence;

    /// <summary>Creates a provider whose clock starts at 2000-01-01 00:00:00 UTC.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Creates a provider whose clock starts at <paramref name="startTime"/>.</summary>
    /// <param name="startTime">The initial UTC time.</param>
    public ManualTimeProvider(DateTimeOffset startTime)
    {
        _start = startTime.ToUniversalTime();
        _utcNow = _start;
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Gets the frequency of <see cref="GetTimestamp"/>: ticks of 100 ns.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _utcNow;
        }
    }

    /// <summary>Gets the ticks elapsed since the provider was created; follows <see cref="Advance"/>.</summary>
    /// <returns>The timestamp.</returns>
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return (_utcNow - _start).Ticks;
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in due order.</summary>
    /// <param name="delta">How far to move; zero fires the timers already due.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is negative.</exception>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_advanceLock)
        {
            MoveTo(GetUtcNow() + delta);
        }
    }

    /// <summary>Sets the clock to a later (or the same) time, firing every timer that falls due on the way.</summary>
    /// <param name="value">The new UTC time.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is earlier than the current time: the clock cannot go back.</exception>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_advanceLock)
        {
            var now = GetUtcNow();
            if (value < now)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The clock is at {now:O} and cannot go back; pass a later time.");
            }

            MoveTo(value);
        }
    }

    /// <summary>Creates a timer that fires when <see cref="Advance"/> or <see cref="SetUtcNow"/> moves the clock past its due time.</summary>
    /// <param name="callback">The callback.</param>
    /// <param name="state">The callback's argument.</param>
    /// <param name="dueTime">The delay before the first call, or <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    /// <param name="period">The interval between later calls; zero or <see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer.</param>
    /// <returns>The timer; dispose it to stop it.</returns>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Waits until a pending timer was set with the given due time, so that a test advances the clock only after
    /// the code under test has armed its timer (otherwise the advance could happen first and the timer never fire).</summary>
    /// <param name="dueTime">The due time the timer was set with.</param>
    /// <returns>A task that completes when such a timer is pending; bound it with a timeout.</returns>
    public Task WaitForTimerAsync(TimeSpan dueTime)
    {
        lock (_lock)
        {
            if (_timers.Any(t => t.DueTime == dueTime))
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _timerWaiters.Add((dueTime, waiter));
            return waiter.Task;
        }
    }

    private void MoveTo(DateTimeOffset target)
    {
        // Fire one timer at a time, so a callback that changes or disposes timers is seen by the next step.
        while (true)
        {
            ManualTimer? due = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= target && (due is null || timer.DueAt < due.DueAt || (timer.DueAt == due.DueAt && timer.Sequence < due.Sequence)))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    _utcNow = target;
                    return;
                }

                if (due.DueAt > _utcNow)
                {
                    _utcNow = due.DueAt;
                }

                if (due.Period > TimeSpan.Zero)
                {
                    due.DueAt += due.Period;
                }
                else
                {
                    _timers.Remove(due);
                }
            }

            due.Callback(due.State);
        }
    }

    private static void Validate(TimeSpan value, string paramName)
    {
        if (value < TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "Use a non-negative time, or Timeout.InfiniteTimeSpan.");
        }
    }

    private sealed class ManualTimer(ManualTimeProvider provider, TimerCallback callback, object? state) : ITimer
    {
        private bool _disposed;

        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        // DueAt, Period and Sequence are guarded by the provider's lock.
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan DueTime { get; private set; }

        public TimeSpan Period { get; private set; }

        public long Sequence { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Validate(dueTime, nameof(dueTime));
            Validate(period, nameof(period));
            lock (provider._lock)
            {
                if (_disposed)
                {
                    return false;
                }

                provider._timers.Remove(this);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = provider._utcNow + dueTime;
                    DueTime = dueTime;
                    Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                    Sequence = ++provider._timerSequence;
                    provider._timers.Add(this);
                    provider._timerWaiters.RemoveAll(w => w.DueTime == dueTime && w.Waiter.TrySetResult());
                }

                return true;
            }
        }

        public void Dispose()
        {
            lock (provider._lock)
            {
                _disposed = true;
                provider._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
