namespace Switchboard;

/// <summary>One worker loop on one channel (one of <see cref="WorkerOptions.Concurrency"/>): whether it holds a message,
/// and since when, for the workers health check.</summary>
/// <param name="channel">The channel the loop serves.</param>
internal sealed class WorkerSlot(string channel)
{
    private long _busySince;

    public string Channel { get; } = channel;

    /// <summary>Gets the <see cref="TimeProvider"/> timestamp at which the message in hand arrived, or 0 when idle.</summary>
    public long BusySince => Volatile.Read(ref _busySince);

    /// <summary>Gets or sets whether the handler of the message in hand reported a failure.</summary>
    public bool Failed { get; set; }

    public void Take(long now)
    {
        Failed = false;
        Volatile.Write(ref _busySince, now);
    }

    public void Release() => Volatile.Write(ref _busySince, 0);
}
