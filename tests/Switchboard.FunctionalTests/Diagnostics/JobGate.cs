namespace Switchboard.FunctionalTests.Diagnostics;

/// <summary>Holds <see cref="StuckJobConsumer"/>'s job until the test releases it.</summary>
public sealed class JobGate
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
