using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>
/// Bounds a workload run: cancels its token at the time limit, when no message has arrived for
/// <see cref="StallLimit"/>, or when the whole harness is cancelled, and remembers why.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    /// <summary>A server that delivers nothing for this long is broken, not slow.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _cancellation;
    private readonly Func<long> _progress;
    private readonly TimeSpan _limit;
    private readonly Timer _timer;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastProgress = -1;
    private long _lastProgressAt = Stopwatch.GetTimestamp();
    private volatile string? _reason;

    /// <param name="limit">The run's time limit.</param>
    /// <param name="progress">A count that grows while messages arrive (read once a second).</param>
    /// <param name="cancellationToken">The harness's token (Ctrl+C).</param>
    public Watchdog(TimeSpan limit, Func<long> progress, CancellationToken cancellationToken)
    {
        _limit = limit;
        _progress = progress;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _timer = new Timer(_ => Check(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Cancelled when the run must stop.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Why the run was stopped; null if it was not.</summary>
    public string? Reason => _reason ?? (_cancellation.IsCancellationRequested ? "cancelled" : null);

    /// <summary>Stops the run now, for <paramref name="reason"/> (a connection error, for example).</summary>
    public void Fail(string reason)
    {
        _reason ??= reason;
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cancellation.Dispose();
    }

    private void Check()
    {
        try
        {
            CheckCore();
        }
        catch (ObjectDisposedException)
        {
            // The run ended while this tick was under way.
        }
    }

    private void CheckCore()
    {
        if (_cancellation.IsCancellationRequested)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var progress = _progress();
        if (progress != _lastProgress)
        {
            _lastProgress = progress;
            _lastProgressAt = now;
        }

        if (Stopwatch.GetElapsedTime(_started, now) > _limit)
        {
            Fail($"timed out after {_limit.TotalSeconds:0} s");
        }
        else if (Stopwatch.GetElapsedTime(_lastProgressAt, now) > StallLimit)
        {
            Fail($"stalled: nothing arrived for {StallLimit.TotalSeconds:0} s");
        }
    }
}
