using System.Collections.Concurrent;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>What one fuzzer run shares: the target, the room its inputs go to, and the tallies for the report.</summary>
internal sealed class FuzzContext(FuzzTarget target, Action<string>? progress) : IAsyncDisposable
{
    private int _probes;
    private NotifyListener? _notifyListener;

    public FuzzTarget Target { get; } = target;

    /// <summary>Gets the outcomes by input class and what happened (for example <c>frames: close 1002</c>).</summary>
    public ConcurrentDictionary<string, int> Outcomes { get; } = new();

    /// <summary>Gets the inputs tried by class.</summary>
    public ConcurrentDictionary<string, int> Tried { get; } = new();

    public ConcurrentQueue<string> Failures { get; } = new();

    /// <summary>Whether each input is printed with its outcome.</summary>
    public bool Verbose { get; init; }

    /// <summary>A <c>/ws/notify/</c> listener, opened on first use and kept for the run.</summary>
    public async Task<NotifyListener> NotifyListenerAsync() =>
        _notifyListener ??= await NotifyListener.ConnectAsync(Target.WebSocketBase).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (_notifyListener is not null)
        {
            await _notifyListener.DisposeAsync().ConfigureAwait(false);
        }
    }

    public string NextProbe() => $"probe:{Interlocked.Increment(ref _probes)}";

    public void Count(string inputClass, string outcome, string input)
    {
        Tried.AddOrUpdate(inputClass, 1, static (_, n) => n + 1);
        Outcomes.AddOrUpdate($"{inputClass}: {outcome}", 1, static (_, n) => n + 1);
        if (Verbose)
        {
            progress?.Invoke($"{inputClass} {outcome} <- {input}");
        }
    }

    public void Fail(string inputClass, int index, string input, string problem)
    {
        var text = $"{inputClass} #{index}: {problem}\n    input: {input}";
        Failures.Enqueue(text);
        progress?.Invoke("FAIL " + text);
    }
}
