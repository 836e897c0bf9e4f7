namespace Switchboard.FunctionalTests.Diagnostics;

/// <summary>A worker consumer whose <c>job</c> handler waits for the test's <see cref="JobGate"/>.</summary>
public sealed class StuckJobConsumer(JobGate gate) : Consumer
{
    /// <summary>Handles <c>job</c>: tells the test it started, then holds the message until released.</summary>
    public async Task JobAsync(LayerMessage message, CancellationToken cancellationToken)
    {
        gate.Started.TrySetResult();
        await gate.Released.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }
}
