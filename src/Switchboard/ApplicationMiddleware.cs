namespace Switchboard;

/// <summary>
/// Base class for middleware: an application that wraps another one (Channels' <c>BaseMiddleware</c>). Override
/// <see cref="InvokeAsync"/> to enrich the scope (pass a copy: <c>scope with { User = ... }</c>) or to refuse the
/// connection before the inner application runs.
/// </summary>
/// <param name="inner">The application this middleware wraps.</param>
public abstract class ApplicationMiddleware(IApplication inner) : IApplication
{
    /// <summary>Gets the wrapped application.</summary>
    protected IApplication Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Runs the middleware for one connection; the default calls the inner application unchanged.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>A task that completes when the connection is served.</returns>
    public virtual Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send) =>
        Inner.InvokeAsync(scope, receive, send);

    /// <summary>Asks the inner application whether it serves the scope.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>What the inner application answers.</returns>
    public virtual bool CanHandle(ConnectionScope scope) => Inner.CanHandle(scope);
}
