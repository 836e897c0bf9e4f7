namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketOutbox
{
    // Set while the consumer hands over a backlog of layer messages (Consumer's listen loop, through ISendBatching):
    // an idle outbox then queues instead of writing at once, so that the backlog goes out as one coalesced write.
    private bool _batching;

    /// <summary>
    /// Holds the writes of the messages that follow, while the outbox is idle, until <see cref="EndBatch"/> or until
    /// <see cref="MaxBatchBytes"/> are queued, whichever comes first.
    /// </summary>
    /// <remarks>
    /// A group send fills every member's inbox, not its outbox: each member's consumer then moves its backlog over one
    /// message at a time, and without a batch each message found the outbox idle and went out alone, a write and a
    /// flush (a system call) per delivery. The batch ends before the consumer waits for its next message or for a
    /// handler that does not complete at once, so a lone message is written as soon as its handler returns.
    /// </remarks>
    public void BeginBatch()
    {
        lock (_sync)
        {
            _batching = true;
        }
    }

    /// <summary>Ends the batch: what it queued is written now.</summary>
    public void EndBatch()
    {
        lock (_sync)
        {
            _batching = false;
            if (!StartDrainLocked())
            {
                return;
            }
        }

        _ = DrainAsync(default, written: 0, writtenBytes: 0);
    }

    /// <summary>Whether an idle outbox holds a message rather than writing it: during a batch, while the held messages
    /// stay small (one coalesced write) and well within the queue's limits.</summary>
    private bool HoldsLocked(long size) =>
        _batching
        && _queuedBytes + size < Math.Min(MaxBatchBytes, _options.OutboundQueueMaxBytes)
        && _queue.Count + 1 < _options.OutboundQueueCapacity;

    /// <summary>Claims the write for the queue when nothing writes and something waits; the caller then starts the drain.</summary>
    private bool StartDrainLocked()
    {
        if (_writing || _queue.Count == 0)
        {
            return false;
        }

        _writing = true;
        return true;
    }
}
