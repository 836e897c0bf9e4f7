using System.Threading.Tasks.Sources;

namespace Switchboard;

/// <summary>
/// A receive waiting on an empty <see cref="InMemoryChannelQueue"/>: the source of the <see cref="ValueTask{TResult}"/>
/// that <see cref="InMemoryChannelLayer.ReceiveAsync"/> returns. Each queue keeps one for reuse, so a consumer that
/// waits on its channel message after message allocates nothing per message.
/// </summary>
/// <remarks>
/// <para>Who completes it is decided under the queue's lock: whoever unlinks it from the queue's waiter list (a sender
/// handing it a message, its cancellation callback, or flush/dispose) owns it and completes it after releasing the
/// lock. The others find it unlinked and leave it alone, so a message handed to a waiter is never dropped by a racing
/// cancellation: that receive returns the message.</para>
/// <para>Reuse is safe because the owner disposes the cancellation registration (which waits for a running callback)
/// before completing, and the waiter returns to the pool only in <see cref="GetResult"/>, after its completion: no stale
/// callback can see it linked again for a later receive.</para>
/// </remarks>
internal sealed class ReceiveWaiter : IValueTaskSource<LayerMessage>
{
    private static readonly Action<object?, CancellationToken> s_onCanceled =
        static (state, token) => ((ReceiveWaiter)state!).OnCanceled(token);

    private readonly InMemoryChannelQueue _queue;

    // Continuations run on the thread pool: a sender (or a group send to many members) never runs a reader's code inline.
    private ManualResetValueTaskSourceCore<LayerMessage> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private bool _quiet;

    public ReceiveWaiter(InMemoryChannelQueue queue) => _queue = queue;

    // The intrusive links of the queue's FIFO waiter list; guarded by the queue's lock.
    public ReceiveWaiter? Previous { get; set; }

    public ReceiveWaiter? Next { get; set; }

    public bool IsLinked { get; set; }

    public ValueTask<LayerMessage> Task => new(this, _core.Version);

    /// <summary>Registers for cancellation; called under the queue's lock right after linking. The lock is re-entrant,
    /// so a token cancelled meanwhile runs <see cref="OnCanceled"/> inline here, which unlinks and cancels.</summary>
    /// <param name="cancellationToken">The receive's token.</param>
    /// <param name="quiet">Whether a cancellation completes the receive with <see langword="null"/> instead of an
    /// <see cref="OperationCanceledException"/> (<see cref="IQuietReceive"/>).</param>
    public void RegisterCancellation(CancellationToken cancellationToken, bool quiet)
    {
        _quiet = quiet;
        _registration = cancellationToken.CanBeCanceled ? cancellationToken.UnsafeRegister(s_onCanceled, this) : default;
    }

    /// <summary>Completes with a message; called by the owner, outside the queue's lock.</summary>
    public void SetResult(LayerMessage message)
    {
        DisposeRegistration();
        _core.SetResult(message);
    }

    /// <summary>Fails the receive; called by the owner, outside the queue's lock.</summary>
    public void SetException(Exception exception)
    {
        DisposeRegistration();
        _core.SetException(exception);
    }

    public LayerMessage GetResult(short token)
    {
        _ = _core.GetStatus(token); // throws on a stale token before anything is reset
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _queue.ReturnWaiter(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void DisposeRegistration()
    {
        // Waits for a cancellation callback that is running on another thread; it finds the waiter unlinked and returns.
        _registration.Dispose();
        _registration = default;
    }

    private void OnCanceled(CancellationToken cancellationToken)
    {
        // Unlinking makes this callback the owner; the registration that runs it needs no disposal.
        if (!_queue.TryUnlink(this))
        {
            return;
        }

        if (_quiet)
        {
            _core.SetResult(null!);
        }
        else
        {
            _core.SetException(new OperationCanceledException(cancellationToken));
        }
    }
}
