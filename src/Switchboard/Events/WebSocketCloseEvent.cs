namespace Switchboard;

/// <summary>
/// <c>websocket.close</c>: closes an accepted WebSocket with a code and reason. Sent before accept, it refuses the handshake:
/// HTTP 403, or HTTP 500 when the code is 1011 (the application failed).
/// </summary>
/// <param name="code">The close code (default 1000).</param>
/// <param name="reason">An optional reason, at most 123 UTF-8 bytes.</param>
public sealed class WebSocketCloseEvent(int code = WebSocketCloseCode.NormalClosure, string? reason = null) : ApplicationEvent
{
    /// <summary>Gets the close code.</summary>
    public int Code { get; } = code;

    /// <summary>Gets the close reason.</summary>
    public string? Reason { get; } = reason;

    /// <summary>Gets why a connection guard (origin, limits, authorization) refused the handshake with this event, for
    /// the interface server's <c>switchboard.websocket.refused.handshakes</c>; <see langword="null"/> otherwise.</summary>
    internal string? RefusalReason { get; init; }

    /// <inheritdoc />
    public override string Type => EventTypes.WebSocketClose;
}
