namespace Switchboard.Internal;

/// <summary>
/// Lets one caller in per interval: the first of a kind of event in an interval is logged as a Warning, the rest at
/// Debug, so that a thousand slow clients cut off at once (or a dead member's full channel, send after send) give one
/// Warning, not a thousand. Shared by the interface server and the channel layers.
/// </summary>
internal sealed class LogThrottle
{
    private readonly TimeProvider _timeProvider;
    private readonly long _intervalTicks;
    private long _next = long.MinValue;

    public LogThrottle(TimeProvider timeProvider, TimeSpan interval)
    {
        _timeProvider = timeProvider;
        Interval = interval;
        // Clamped, so that a very long interval (an expiry of days) cannot overflow the timestamp arithmetic.
        _intervalTicks = (long)Math.Min(interval.TotalSeconds * timeProvider.TimestampFrequency, long.MaxValue / 4);
    }

    /// <summary>Gets the interval, for the Warning's "further ... are logged at Debug" note.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Returns whether this event is the first of its interval (log it as a Warning).</summary>
    public bool TryEnter()
    {
        var now = _timeProvider.GetTimestamp();
        var next = Volatile.Read(ref _next);
        return now >= next && Interlocked.CompareExchange(ref _next, now + _intervalTicks, next) == next;
    }
}
