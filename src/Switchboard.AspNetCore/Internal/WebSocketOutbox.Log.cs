using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketOutbox
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1019, Level = LogLevel.Warning, EventName = "OutboundOverflow",
            Message = "WebSocket {Path}: the client does not keep up: its outbound backlog is over budget (OutboundQueueMaxBytes {MaxBytes}, " +
                "OutboundQueueCapacity {Capacity}); {Dropped} messages dropped, {Outcome}. Further overflows within {Interval} are logged at Debug.")]
        public static partial void OutboundOverflowWarning(
            ILogger logger, string path, long maxBytes, int capacity, int dropped, string outcome, TimeSpan interval);

        [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, EventName = "OutboundOverflowRepeated",
            Message = "WebSocket {Path}: the client does not keep up: its outbound backlog is over budget (OutboundQueueMaxBytes {MaxBytes}, " +
                "OutboundQueueCapacity {Capacity}); {Dropped} messages dropped, {Outcome}.")]
        public static partial void OutboundOverflow(ILogger logger, string path, long maxBytes, int capacity, int dropped, string outcome);

        [LoggerMessage(EventId = 1020, Level = LogLevel.Debug, EventName = "MessageIgnoredAfterClose",
            Message = "WebSocket {Path}: websocket.send after the connection closed; ignored.")]
        public static partial void SendIgnored(ILogger logger, string path);

        [LoggerMessage(EventId = 1023, Level = LogLevel.Debug, EventName = "SendFailed",
            Message = "WebSocket {Path}: a write failed; the connection is gone.")]
        public static partial void SendFailed(ILogger logger, string path, Exception exception);
    }
}
