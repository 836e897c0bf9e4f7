namespace Switchboard;

/// <summary>Options of the in-process worker (Channels' <c>runworker CHANNEL...</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>Gets the channels the worker listens on; each runs one long-lived application instance with a <c>channel</c> scope.</summary>
    public ISet<string> Channels { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how long to wait before starting a new instance when one ended without taking a message
    /// (a misconfigured consumer), so that a broken worker does not spin. Default 1 s.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how many instances serve each channel at once (<c>runworker --concurrency</c>). Each takes
    /// the next message when it is free, so more than one no longer keeps the channel's order. Default 1.</summary>
    public int Concurrency { get; set; } = 1;
}
