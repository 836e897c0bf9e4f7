namespace Switchboard;

/// <summary>The event type strings of the protocol events, as ASGI and Django Channels name them.</summary>
public static class EventTypes
{
    /// <summary>A client opened a WebSocket handshake.</summary>
    public const string WebSocketConnect = "websocket.connect";

    /// <summary>A client sent a WebSocket message.</summary>
    public const string WebSocketReceive = "websocket.receive";

    /// <summary>The WebSocket connection closed or the handshake failed.</summary>
    public const string WebSocketDisconnect = "websocket.disconnect";

    /// <summary>The application accepts the WebSocket handshake.</summary>
    public const string WebSocketAccept = "websocket.accept";

    /// <summary>The application sends a WebSocket message.</summary>
    public const string WebSocketSend = "websocket.send";

    /// <summary>The application closes the WebSocket, or refuses the handshake when sent before accept.</summary>
    public const string WebSocketClose = "websocket.close";

    /// <summary>A chunk of an HTTP request body.</summary>
    public const string HttpRequest = "http.request";

    /// <summary>The application starts the HTTP response: status and headers.</summary>
    public const string HttpResponseStart = "http.response.start";

    /// <summary>A chunk of the HTTP response body.</summary>
    public const string HttpResponseBody = "http.response.body";

    /// <summary>The HTTP client went away, or the response completed.</summary>
    public const string HttpDisconnect = "http.disconnect";
}
