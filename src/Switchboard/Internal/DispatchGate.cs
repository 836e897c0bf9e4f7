namespace Switchboard.Internal;

/// <summary>
/// The consumer's gate: lets one event handler run at a time, in the order handlers asked, without the two monitor
/// locks per event that a <see cref="SemaphoreSlim"/> takes.
/// </summary>
/// <remarks>
/// A consumer's handlers come from at most a few loops (the client's events, the channel layer's messages, the end
/// sequence), so the gate is almost always free: entering and leaving it is then one interlocked exchange each. A
/// group send wakes every member's layer loop at once, and a profile of a broadcast showed the semaphore's monitor
/// among the hottest frames. Only a caller that finds the gate held takes the lock, to queue a waiter; the gate then
/// passes from the leaving handler to the first waiter, which continues on the thread pool (never inside the handler
/// that left).
/// </remarks>
internal sealed class DispatchGate
{
    // 0: free; 1: held; 1 + n: held, with n waiters queued (or about to be, under the lock).
    private int _state;
    private Queue<TaskCompletionSource>? _waiters;

    /// <summary>Waits until the gate is free, and takes it.</summary>
    /// <returns>A task that completes when the caller holds the gate.</returns>
    public ValueTask EnterAsync() =>
        Interlocked.CompareExchange(ref _state, 1, 0) == 0 ? ValueTask.CompletedTask : EnterSlow();

    /// <summary>Leaves the gate, handing it to the first waiter if there is one.</summary>
    public void Exit()
    {
        if (Interlocked.CompareExchange(ref _state, 0, 1) == 1)
        {
            return;
        }

        TaskCompletionSource next;
        lock (this)
        {
            // State > 1: a waiter counted itself under this lock and queued itself in the same step.
            next = _waiters!.Dequeue();
            Interlocked.Decrement(ref _state);
        }

        next.SetResult();
    }

    private ValueTask EnterSlow()
    {
        TaskCompletionSource waiter;
        lock (this)
        {
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if (state == 0)
                {
                    if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
                    {
                        return ValueTask.CompletedTask;
                    }
                }
                else if (Interlocked.CompareExchange(ref _state, state + 1, state) == state)
                {
                    break;
                }
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_waiters ??= new Queue<TaskCompletionSource>()).Enqueue(waiter);
        }

        return new ValueTask(waiter.Task);
    }
}
