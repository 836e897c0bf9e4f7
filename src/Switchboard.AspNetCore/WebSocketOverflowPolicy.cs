namespace Switchboard.AspNetCore;

/// <summary>
/// What the interface server does when a WebSocket's outbound queue is full, that is when the client reads more slowly
/// than the application sends and its backlog is over <see cref="SwitchboardServerOptions.OutboundQueueMaxBytes"/> (or
/// <see cref="SwitchboardServerOptions.OutboundQueueCapacity"/>, when set). Every message dropped this way is counted on
/// <c>switchboard.websocket.dropped.messages</c> with <c>reason=outbound_overflow</c> and logged.
/// </summary>
public enum WebSocketOverflowPolicy
{
    /// <summary>Discard the queue and close the connection with 1008 (policy violation); the application receives
    /// <c>websocket.disconnect</c> with code 1008. The default: a client that cannot keep up is cut off, and never slows the others.</summary>
    CloseConnection = 0,

    /// <summary>Discard the message being sent and keep the connection; the queued messages still go out in order.</summary>
    DropNewest = 1,

    /// <summary>Discard the oldest queued messages until the new one fits, and keep the connection.</summary>
    DropOldest = 2,

    /// <summary>Make <c>send</c> wait until the queue has room: backpressure onto the application instance
    /// (and, through it, onto whatever feeds it, such as a channel layer).</summary>
    Wait = 3,
}
