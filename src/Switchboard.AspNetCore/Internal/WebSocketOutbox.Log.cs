using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketOutbox
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 19, Level = LogLevel.Warning, EventName = "OutboundOverflow",
            Message = "WebSocket {Path}: the client does not keep up and the outbound queue is full ({Capacity} messages or {MaxBytes} bytes); closing with 1008.")]
        public static partial void OutboundOverflow(ILogger logger, string path, int capacity, long maxBytes);

        [LoggerMessage(EventId = 20, Level = LogLevel.Debug, EventName = "MessageIgnoredAfterClose",
            Message = "WebSocket {Path}: websocket.send after the connection closed; ignored.")]
        public static partial void SendIgnored(ILogger logger, string path);

        [LoggerMessage(EventId = 21, Level = LogLevel.Debug, EventName = "MessagesDropped",
            Message = "WebSocket {Path}: outbound queue full; {Count} messages dropped ({Policy}).")]
        public static partial void MessagesDropped(ILogger logger, string path, int count, WebSocketOverflowPolicy policy);

        [LoggerMessage(EventId = 23, Level = LogLevel.Debug, EventName = "SendFailed",
            Message = "WebSocket {Path}: a write failed; the connection is gone.")]
        public static partial void SendFailed(ILogger logger, string path, Exception exception);
    }
}
