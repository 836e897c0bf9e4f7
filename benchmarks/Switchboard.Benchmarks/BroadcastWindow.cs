namespace Switchboard.Benchmarks;

/// <summary>
/// The windowed broadcast's sender window: tracks, for each message, how many sockets have got it or a later one, so
/// the sender can wait until the slowest socket is at most W messages behind. A message skipped by a socket (lost)
/// still counts as passed, so a lossy server does not stall the sender; the loss is counted by the socket.
/// </summary>
internal sealed class BroadcastWindow
{
    private readonly int[] _passed;
    private readonly TaskCompletionSource[] _passedByAll;
    private readonly int _readers;

    public BroadcastWindow(int messages, int readers)
    {
        _readers = readers;
        _passed = new int[messages];
        _passedByAll = new TaskCompletionSource[messages];
        for (var i = 0; i < messages; i++)
        {
            // Asynchronous continuations: the sender must not run its next send on a reader's receive loop.
            _passedByAll[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>One socket has moved from message <paramref name="from"/> to <paramref name="to"/> (both included).</summary>
    public void Passed(int from, int to)
    {
        for (var seq = from; seq <= to; seq++)
        {
            if (Interlocked.Increment(ref _passed[seq]) == _readers)
            {
                _passedByAll[seq].TrySetResult();
            }
        }
    }

    /// <summary>Completes when every socket has got message <paramref name="seq"/> or a later one.</summary>
    public Task PassedByAllAsync(int seq) => _passedByAll[seq].Task;
}
