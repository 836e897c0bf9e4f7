namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Bounds every await in a test, so that a hang fails the test instead of the run.</summary>
public static class TaskTimeoutExtensions
{
    /// <summary>How long a test waits for anything that should happen promptly.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task DefaultTimeout(this Task task) => task.WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task DefaultTimeout(this ValueTask task) => task.AsTask().WaitAsync(Timeout);

    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Timeout);
}
