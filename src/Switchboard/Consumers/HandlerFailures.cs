namespace Switchboard;

/// <summary>
/// Lets a test communicator, and a worker, see the exceptions that consumer handlers throw: a consumer catches them (to
/// close with 1011 or answer 500, as a server would), so without this a test would see only the close code and a worker
/// could not count the message as failed. The communicator and the worker put an observer into
/// <see cref="ConnectionScope.Items"/>; the interface server never does, and then reporting costs a dictionary lookup
/// on the failure path only.
/// </summary>
internal static class HandlerFailures
{
    /// <summary>The <see cref="ConnectionScope.Items"/> key of the observer, an <see cref="Action{T}"/> of <see cref="Exception"/>.</summary>
    public static readonly object Key = new();

    public static void Report(ConnectionScope scope, Exception exception)
    {
        if (scope.Items.TryGetValue(Key, out var observer) && observer is Action<Exception> report)
        {
            report(exception);
        }
    }
}
