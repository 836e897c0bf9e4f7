namespace Switchboard;

/// <summary>
/// Sends an event from an application instance to its server (ASGI's <c>send</c>): <c>websocket.accept</c>,
/// <c>websocket.send</c>, <c>websocket.close</c>, <c>http.response.start</c>, <c>http.response.body</c>.
/// </summary>
/// <param name="message">The event.</param>
/// <param name="cancellationToken">Cancels the send.</param>
/// <returns>A task that completes when the server has taken the event; for a WebSocket message that means queued, not delivered.</returns>
/// <exception cref="InvalidOperationException">The event is not valid in the connection's state, for example a send before accept.</exception>
public delegate ValueTask SendDelegate(ApplicationEvent message, CancellationToken cancellationToken);
