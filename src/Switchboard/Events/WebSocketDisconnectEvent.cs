namespace Switchboard;

/// <summary><c>websocket.disconnect</c>: the connection is gone; the last event of a WebSocket scope.</summary>
/// <param name="code">The close code: the client's, or 1006 when the connection dropped without a close frame.</param>
public sealed class WebSocketDisconnectEvent(int code) : ApplicationEvent
{
    /// <summary>Gets the close code.</summary>
    public int Code { get; } = code;

    /// <inheritdoc />
    public override string Type => EventTypes.WebSocketDisconnect;
}
