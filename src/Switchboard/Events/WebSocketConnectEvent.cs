namespace Switchboard;

/// <summary><c>websocket.connect</c>: the first event of a WebSocket scope; the handshake waits for the application to accept or close.</summary>
public sealed class WebSocketConnectEvent : ApplicationEvent
{
    /// <summary>The one instance; the event carries no data.</summary>
    public static WebSocketConnectEvent Instance { get; } = new();

    private WebSocketConnectEvent()
    {
    }

    /// <inheritdoc />
    public override string Type => EventTypes.WebSocketConnect;
}
