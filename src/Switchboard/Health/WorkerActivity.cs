namespace Switchboard;

/// <summary>
/// What the in-process workers are doing, shared between <c>ChannelWorker</c> (which writes it) and the workers health
/// check (which reads it): the loops running per channel, and the message each one holds.
/// </summary>
internal sealed class WorkerActivity
{
    private readonly Lock _lock = new();
    private readonly List<WorkerSlot> _slots = [];

    /// <summary>Gets or sets whether the worker service has started (its channels are in <see cref="WorkerOptions"/>).</summary>
    public bool Started { get; set; }

    public WorkerSlot Register(string channel)
    {
        var slot = new WorkerSlot(channel);
        lock (_lock)
        {
            _slots.Add(slot);
        }

        return slot;
    }

    public void Unregister(WorkerSlot slot)
    {
        lock (_lock)
        {
            _slots.Remove(slot);
        }
    }

    public WorkerSlot[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _slots];
        }
    }
}
