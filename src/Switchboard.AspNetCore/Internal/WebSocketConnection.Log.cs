using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, EventName = "WebSocketConnecting",
            Message = "WSCONNECTING {Path}: waiting for the application to accept.")]
        public static partial void Connecting(ILogger logger, string path);

        // Two events rather than one with a nullable subprotocol, which would log "(subprotocol (null))".
        [LoggerMessage(EventId = 1011, Level = LogLevel.Debug, EventName = "WebSocketAccepted",
            Message = "WSCONNECT {Path}.")]
        public static partial void Accepted(ILogger logger, string path);

        [LoggerMessage(EventId = 1030, Level = LogLevel.Debug, EventName = "WebSocketAcceptedWithSubprotocol",
            Message = "WSCONNECT {Path} with subprotocol {Subprotocol}.")]
        public static partial void AcceptedWithSubprotocol(ILogger logger, string path, string subprotocol);

        [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, EventName = "WebSocketRejected",
            Message = "WSREJECT {Path}: handshake refused with HTTP {StatusCode} (0: the client left).")]
        public static partial void Rejected(ILogger logger, string path, int statusCode);

        [LoggerMessage(EventId = 1013, Level = LogLevel.Debug, EventName = "WebSocketDisconnected",
            Message = "WSDISCONNECT {Path} with code {Code}.")]
        public static partial void Disconnected(ILogger logger, string path, int code);

        [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, EventName = "AcceptTimedOut",
            Message = "WebSocket {Path}: the application did not accept or close within {Timeout}; refusing the handshake with 503.")]
        public static partial void AcceptTimedOut(ILogger logger, string path, TimeSpan timeout);

        [LoggerMessage(EventId = 1015, Level = LogLevel.Error, EventName = "ApplicationFailed",
            Message = "WebSocket {Path}: the application failed (before accept: 500; after: close 1011).")]
        public static partial void ApplicationFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 1016, Level = LogLevel.Debug, EventName = "ApplicationReturnedBeforeAccept",
            Message = "WebSocket {Path}: the application returned without accepting; refusing the handshake with 403.")]
        public static partial void ApplicationReturnedBeforeAccept(ILogger logger, string path);

        [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, EventName = "ApplicationCloseTimedOut",
            Message = "WebSocket {Path}: the application did not return within {Timeout} after the disconnect; no longer waiting for it.")]
        public static partial void ApplicationCloseTimedOut(ILogger logger, string path, TimeSpan timeout);

        [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, EventName = "MessageTooBig",
            Message = "WebSocket {Path}: an incoming message exceeded {MaxSize} bytes; closing with 1009.")]
        public static partial void MessageTooBig(ILogger logger, string path, int maxSize);

        [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, EventName = "SendIgnoredAfterClose",
            Message = "WebSocket {Path}: {EventType} after the connection ended; ignored.")]
        public static partial void SendIgnored(ILogger logger, string path, string eventType);

        [LoggerMessage(EventId = 1024, Level = LogLevel.Debug, EventName = "CloseHandshakeTimedOut",
            Message = "WebSocket {Path}: the close handshake did not finish within {Timeout}; aborting the connection.")]
        public static partial void CloseHandshakeTimedOut(ILogger logger, string path, TimeSpan timeout);

        [LoggerMessage(EventId = 1025, Level = LogLevel.Debug, EventName = "ConnectionLost",
            Message = "WebSocket {Path}: the connection ended without a close frame.")]
        public static partial void ConnectionLost(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 1026, Level = LogLevel.Debug, EventName = "AcceptFailed",
            Message = "WebSocket {Path}: writing the accept failed; the client left.")]
        public static partial void AcceptFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 1027, Level = LogLevel.Debug, EventName = "ReceiveCancelled",
            Message = "WebSocket {Path}: a pending receive was cancelled; aborting the connection.")]
        public static partial void ReceiveCancelled(ILogger logger, string path);
    }
}
