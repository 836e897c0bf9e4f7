using System.Threading.Tasks.Sources;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The inbox: one slot between the receive loop and the application's <c>receive</c>, built into the connection.
/// </summary>
/// <remarks>
/// It replaces a one-slot <see cref="System.Threading.Channels.Channel{T}"/>, which cost every idle connection about
/// 800 bytes (the channel, its reader and writer, four reusable waiter objects and the pooled state machine of the
/// waiting <c>receive</c>); here a waiting <c>receive</c> is the connection itself (an <see cref="IValueTaskSource{TResult}"/>).
/// The rules are the channel's: the first event (<c>websocket.connect</c>) is queued at construction; a message handed to
/// a waiting <c>receive</c> continues the application inline on the receive loop's thread (an echo needs no thread
/// hop); while the slot is full the loop waits, so a busy application slows its own client; once completed, what is in
/// the slot is still received, then the disconnect event, again and again. Nothing completes a waiter while holding
/// <c>_sync</c>, so the application never runs inside the lock.
/// </remarks>
internal sealed partial class WebSocketConnection : IValueTaskSource<ApplicationEvent>
{
    private ApplicationEvent? _slot = WebSocketConnectEvent.Instance;
    private bool _inboxCompleted;
    private bool _receiveWaiting;
    private ManualResetValueTaskSourceCore<ApplicationEvent> _waitingReceive;
    private CancellationTokenRegistration _receiveCancellation;
    private TaskCompletionSource? _slotFree;

    // The application takes the message here (or below, when one was already waiting): the rate limit applies then.
    ApplicationEvent IValueTaskSource<ApplicationEvent>.GetResult(short token) => AdmitIncoming(_waitingReceive.GetResult(token));

    ValueTaskSourceStatus IValueTaskSource<ApplicationEvent>.GetStatus(short token) => _waitingReceive.GetStatus(token);

    void IValueTaskSource<ApplicationEvent>.OnCompleted(
        Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _waitingReceive.OnCompleted(continuation, state, token, flags);

    private ValueTask<ApplicationEvent> ReceiveAsync(CancellationToken cancellationToken)
    {
        ApplicationEvent? message;
        TaskCompletionSource? slotFree = null;
        var waiting = false;
        short version = 0;
        lock (_sync)
        {
            message = _slot;
            if (message is not null)
            {
                _slot = null;
                slotFree = _slotFree;
                _slotFree = null;
            }
            else if (_inboxCompleted)
            {
                // The inbox completes only after _disconnect is set.
                message = _disconnect!;
            }
            else if (_receiveWaiting)
            {
                throw new InvalidOperationException("A receive is already waiting on this connection: await it before the next one.");
            }
            else if (!cancellationToken.IsCancellationRequested)
            {
                _receiveWaiting = waiting = true;
                _waitingReceive.Reset();
                version = _waitingReceive.Version;
            }
        }

        if (message is not null)
        {
            slotFree?.TrySetResult();
            return new ValueTask<ApplicationEvent>(AdmitIncoming(message));
        }

        if (!waiting)
        {
            // Nothing to receive and the token is already cancelled.
            OnReceiveCancelled();
            return ValueTask.FromCanceled<ApplicationEvent>(cancellationToken);
        }

        if (cancellationToken.CanBeCanceled)
        {
            // Kept only while this receive still waits: a message may have come between the lock and here (or the token
            // fired inside UnsafeRegister), and a registration left behind would live as long as the token.
            var registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((WebSocketConnection)state!).CancelWaitingReceive(token), this);
            lock (_sync)
            {
                if (_receiveWaiting && _waitingReceive.Version == version)
                {
                    _receiveCancellation = registration;
                    registration = default;
                }
            }

            registration.Unregister();
        }

        return new ValueTask<ApplicationEvent>(this, version);
    }

    /// <summary>Hands a message to the application: to a waiting <c>receive</c> (inline), or into the free slot.</summary>
    /// <returns>False when the slot is full; true when delivered, or dropped because the connection is over.</returns>
    private bool TryDeliver(ApplicationEvent message)
    {
        CancellationTokenRegistration registration;
        lock (_sync)
        {
            if (_inboxCompleted)
            {
                return true;
            }

            if (!_receiveWaiting)
            {
                if (_slot is not null)
                {
                    return false;
                }

                _slot = message;
                return true;
            }

            registration = TakeReceiveLocked();
        }

        CompleteReceive(registration, message);
        return true;
    }

    /// <summary>Waits for the application to take the previous message; drops the message when the connection is closing.</summary>
    private async ValueTask DeliverSlowAsync(ApplicationEvent message)
    {
        while (!TryDeliver(message))
        {
            Task slotFree;
            lock (_sync)
            {
                if (_slot is null || _inboxCompleted)
                {
                    continue;
                }

                slotFree = (_slotFree ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await slotFree.ConfigureAwait(false);
        }
    }

    /// <summary>No more messages: a waiting <c>receive</c> gets the disconnect event (set before this is called).</summary>
    private void CompleteInbox()
    {
        TaskCompletionSource? slotFree;
        bool receiveWaiting;
        CancellationTokenRegistration registration = default;
        lock (_sync)
        {
            if (_inboxCompleted)
            {
                return;
            }

            _inboxCompleted = true;
            receiveWaiting = _receiveWaiting;
            if (receiveWaiting)
            {
                registration = TakeReceiveLocked();
            }

            slotFree = _slotFree;
            _slotFree = null;
        }

        slotFree?.TrySetResult();
        if (receiveWaiting)
        {
            // The slot was empty (a receive waits only then), so the disconnect is next.
            CompleteReceive(registration, _disconnect!);
        }
    }

    /// <summary>Ends the wait of the waiting receive (the caller completes it outside the lock).</summary>
    private CancellationTokenRegistration TakeReceiveLocked()
    {
        _receiveWaiting = false;
        var registration = _receiveCancellation;
        _receiveCancellation = default;
        return registration;
    }

    private void CompleteReceive(CancellationTokenRegistration registration, ApplicationEvent message)
    {
        registration.Unregister();
        _waitingReceive.SetResult(message);
    }

    private void CancelWaitingReceive(CancellationToken token)
    {
        lock (_sync)
        {
            if (!_receiveWaiting)
            {
                return;
            }

            // This callback is the registration: nothing to unregister.
            TakeReceiveLocked();
        }

        OnReceiveCancelled();
        _waitingReceive.SetException(new OperationCanceledException(token));
    }

    private void OnReceiveCancelled()
    {
        // ReceiveDelegate's contract: cancelling a pending receive aborts the connection, unless the request is over
        // (an abandoned application), when the context may already serve another request.
        Log.ReceiveCancelled(_logger, Path);
        lock (_sync)
        {
            if (!_finished)
            {
                _context.Abort();
            }
        }
    }
}
