namespace Switchboard.AspNetCore.Internal;

internal sealed partial class SwitchboardServer
{
    private static readonly TimeSpan MinSweepPeriod = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxSweepPeriod = TimeSpan.FromSeconds(1);

    // One timer for the server, made with its first WebSocket, instead of one per connection: each idle socket kept a
    // timer for its whole life (about 170 bytes with its TimerQueueTimer). Guarded by _sync.
    private ITimer? _lifetimeSweep;

    /// <summary>How often the sweep looks: a tenth of the lifetime, between 10 ms and 1 s, so that a socket is closed
    /// at most that long after its <see cref="SwitchboardServerOptions.MaxConnectionLifetime"/>.</summary>
    private static TimeSpan SweepPeriod(TimeSpan lifetime) => TimeSpan.FromTicks(
        Math.Clamp(lifetime.Ticks / 10, MinSweepPeriod.Ticks, MaxSweepPeriod.Ticks));

    /// <summary>Starts the lifetime sweep when the first WebSocket is tracked; called under <see cref="_sync"/>.</summary>
    private void StartLifetimeSweepLocked()
    {
        if (_lifetimeSweep is not null || Options.MaxConnectionLifetime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var period = SweepPeriod(Options.MaxConnectionLifetime);

        // Without the tracking request's execution context: the timer lives as long as the server.
        if (ExecutionContext.IsFlowSuppressed())
        {
            _lifetimeSweep = TimeProvider.CreateTimer(static state => ((SwitchboardServer)state!).SweepLifetimes(), this, period, period);
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _lifetimeSweep = TimeProvider.CreateTimer(static state => ((SwitchboardServer)state!).SweepLifetimes(), this, period, period);
        }
    }

    private void StopLifetimeSweepLocked()
    {
        _lifetimeSweep?.Dispose();
        _lifetimeSweep = null;
    }

    /// <summary>Closes, with 1000, every socket open longer than <see cref="SwitchboardServerOptions.MaxConnectionLifetime"/>.</summary>
    private void SweepLifetimes()
    {
        var now = TimeProvider.GetTimestamp();
        List<WebSocketConnection>? expired = null;
        lock (_sync)
        {
            foreach (var connection in _webSockets)
            {
                if (connection.IsPastLifetime(now))
                {
                    (expired ??= []).Add(connection);
                }
            }
        }

        if (expired is null)
        {
            return;
        }

        // Outside the lock: closing takes the connection's own lock. A socket still closing is found again next time,
        // and its close is queued once.
        foreach (var connection in expired)
        {
            connection.OnLifetimeElapsed();
        }
    }
}
