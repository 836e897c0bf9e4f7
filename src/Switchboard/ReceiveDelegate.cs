namespace Switchboard;

/// <summary>
/// Waits for the next event for an application instance (ASGI's <c>receive</c>): a protocol event from the client,
/// or for <c>channel</c> scopes a message from the channel layer.
/// </summary>
/// <param name="cancellationToken">Cancels the wait. For a WebSocket scope, cancelling a pending receive aborts the connection.</param>
/// <returns>The next event. After the scope's last event (<c>websocket.disconnect</c>, <c>http.disconnect</c>) every call returns it again.</returns>
public delegate ValueTask<ApplicationEvent> ReceiveDelegate(CancellationToken cancellationToken);
