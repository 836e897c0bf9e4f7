namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// Lets one caller in per interval, server-wide: the first of a kind of event in an interval is logged as a Warning, the
/// rest at Debug, so that a thousand slow clients cut off at once give one Warning, not a thousand.
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
        _intervalTicks = (long)(interval.TotalSeconds * timeProvider.TimestampFrequency);
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
