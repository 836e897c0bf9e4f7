using Switchboard.Internal;

namespace Switchboard;

/// <summary>
/// A Switchboard application (ASGI's idea): one call per connection, with the connection's scope and its
/// receive and send functions. Middleware, routers and consumers are all applications, so they nest.
/// </summary>
public interface IApplication
{
    /// <summary>
    /// Runs the application instance for one connection. Called by the interface server (or a worker, or a test
    /// communicator) when the connection opens; the instance lives until the returned task completes.
    /// </summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event for this instance.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>A task that completes when the instance is done with the connection.</returns>
    Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send);

    /// <summary>
    /// Tells whether this application would serve the scope, without running it. Servers call this before the
    /// handshake so that a request no route claims can fall through to the rest of the pipeline. Routers answer by
    /// matching; middleware asks the application it wraps; everything else serves every scope.
    /// </summary>
    /// <param name="scope">A scope with at least <see cref="ConnectionScope.Type"/> and <see cref="ConnectionScope.Path"/> set.</param>
    /// <returns><see langword="true"/> when <see cref="InvokeAsync"/> would handle the scope.</returns>
    bool CanHandle(ConnectionScope scope) => true;

    /// <summary>Wraps a function as an application, as an ASGI callable is written in Python:
    /// <c>IApplication.Create(async (scope, receive, send) =&gt; { ... })</c>.</summary>
    /// <param name="application">The function that serves one connection; called once per connection.</param>
    /// <returns>The application.</returns>
    static IApplication Create(Func<ConnectionScope, ReceiveDelegate, SendDelegate, Task> application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new DelegateApplication(application);
    }
}
