namespace Switchboard.Functions;

/// <summary>
/// A function consumer (Channels 1.x's <c>def ws_message(message): ...</c>): called with one event of a connection or one
/// message of a named channel. The handlers of one connection run one at a time, in the connection's order.
/// </summary>
/// <param name="message">The event with its route values, reply channel, channel session and layer.</param>
/// <param name="cancellationToken">Fires when the connection goes away (for a worker: when the host gives up waiting).</param>
/// <returns>A task that completes when the event is handled.</returns>
public delegate ValueTask FunctionHandler(FunctionMessage message, CancellationToken cancellationToken);
