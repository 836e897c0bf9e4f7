namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// A token bucket on <see cref="TimeProvider"/> timestamps: <c>rate</c> tokens a second, at most <c>burst</c> saved up.
/// One per connection and used by one caller at a time (the application's receive), so it needs no lock and, unlike
/// <c>System.Threading.RateLimiting.TokenBucketRateLimiter</c>, no replenishment timer per connection.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _ratePerTick;
    private readonly double _burst;
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, int burst, TimeProvider time)
    {
        _time = time;
        _ratePerTick = ratePerSecond / time.TimestampFrequency;
        _burst = burst;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <summary>Takes one token; <see langword="false"/> when the bucket is empty.</summary>
    public bool TryTake()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + ((now - _last) * _ratePerTick));
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens--;
        return true;
    }
}
