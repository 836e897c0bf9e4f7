namespace Switchboard;

/// <summary><c>websocket.send</c>: a whole message for the client, text or binary.</summary>
public sealed class WebSocketSendEvent : WebSocketFrameEvent
{
    /// <summary>Creates a text message.</summary>
    /// <param name="text">The text.</param>
    public WebSocketSendEvent(string text)
        : base(text)
    {
    }

    /// <summary>Creates a message from its payload.</summary>
    /// <param name="data">The payload: UTF-8 when <paramref name="isText"/> is true. It must not change until the send completes.</param>
    /// <param name="isText">Whether the message is text.</param>
    public WebSocketSendEvent(ReadOnlyMemory<byte> data, bool isText)
        : base(data, isText)
    {
    }

    /// <inheritdoc />
    public override string Type => EventTypes.WebSocketSend;
}
