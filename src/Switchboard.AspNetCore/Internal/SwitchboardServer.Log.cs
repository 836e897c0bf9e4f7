using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class SwitchboardServer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, EventName = "NoRouteForWebSocket",
            Message = "No route for websocket path {Path}: the application does not claim it, so the request falls through to the rest of the pipeline (404 unless another endpoint serves it).")]
        public static partial void NoRouteForWebSocket(ILogger logger, string path);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, EventName = "InvalidWebSocketHandshake",
            Message = "WebSocket upgrade request for {Path} has an invalid handshake; answering 400.")]
        public static partial void InvalidWebSocketHandshake(ILogger logger, string path);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, EventName = "ClosingForShutdown",
            Message = "Host is stopping: closing {Count} WebSocket connections with 1001.")]
        public static partial void ClosingForShutdown(ILogger logger, int count);
    }
}
