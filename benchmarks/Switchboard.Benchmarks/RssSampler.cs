using System.Diagnostics;

namespace Switchboard.Benchmarks;

/// <summary>Samples a server's resident memory (VmRSS) every 250 ms from <see cref="Start"/> until disposed.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(250);

    private readonly ServerProcess _server;
    private readonly List<RssSample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly long _start = Stopwatch.GetTimestamp();
    private Task _sampling = Task.CompletedTask;

    private RssSampler(ServerProcess server) => _server = server;

    /// <summary>The samples so far, oldest first.</summary>
    public IReadOnlyList<RssSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Takes a first sample now, then one every 250 ms.</summary>
    public static RssSampler Start(ServerProcess server)
    {
        var sampler = new RssSampler(server);
        sampler._sampling = sampler.SampleAsync();
        return sampler;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(s_interval);
        try
        {
            // Bounded by the disposal.
            do
            {
                if (_server.ReadMemory() is { } memory)
                {
                    lock (_samples)
                    {
                        _samples.Add(new RssSample(Math.Round(Stopwatch.GetElapsedTime(_start).TotalSeconds, 2), memory.CurrentKiB));
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
