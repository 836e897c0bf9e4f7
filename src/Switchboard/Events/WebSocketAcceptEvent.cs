namespace Switchboard;

/// <summary><c>websocket.accept</c>: completes the handshake, optionally choosing one of the client's subprotocols.</summary>
/// <param name="subprotocol">The subprotocol to answer with, one of <see cref="ConnectionScope.Subprotocols"/>, or <see langword="null"/>.</param>
public sealed class WebSocketAcceptEvent(string? subprotocol = null) : ApplicationEvent
{
    /// <summary>Gets the chosen subprotocol.</summary>
    public string? Subprotocol { get; } = subprotocol;

    /// <inheritdoc />
    public override string Type => EventTypes.WebSocketAccept;
}
