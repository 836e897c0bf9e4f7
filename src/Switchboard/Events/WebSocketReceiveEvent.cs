namespace Switchboard;

/// <summary><c>websocket.receive</c>: a whole message from the client, text or binary.</summary>
public sealed class WebSocketReceiveEvent : WebSocketFrameEvent
{
    /// <summary>Creates a text message.</summary>
    /// <param name="text">The text.</param>
    public WebSocketReceiveEvent(string text)
        : base(text)
    {
    }

    /// <summary>Creates a message from its payload.</summary>
    /// <param name="data">The payload: UTF-8 when <paramref name="isText"/> is true.</param>
    /// <param name="isText">Whether the message is text.</param>
    public WebSocketReceiveEvent(ReadOnlyMemory<byte> data, bool isText)
        : base(data, isText)
    {
    }

    /// <inheritdoc />
    public override string Type => EventTypes.WebSocketReceive;
}
