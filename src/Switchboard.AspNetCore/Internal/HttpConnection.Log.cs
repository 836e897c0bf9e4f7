using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class HttpConnection
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Error, EventName = "HttpApplicationFailed",
            Message = "HTTP {Method} {Path}: the application failed before starting the response; answering 500.")]
        public static partial void ApplicationFailed(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = 1101, Level = LogLevel.Error, EventName = "HttpApplicationFailedAfterResponseStarted",
            Message = "HTTP {Method} {Path}: the application failed after the response started; aborting the response.")]
        public static partial void ApplicationFailedAfterResponseStarted(ILogger logger, string method, string path, Exception exception);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Error, EventName = "HttpNoResponse",
            Message = "HTTP {Method} {Path}: the application returned without sending http.response.start; answering 500.")]
        public static partial void NoResponse(ILogger logger, string method, string path);

        [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, EventName = "HttpResponseIncomplete",
            Message = "HTTP {Method} {Path}: the application returned before the last http.response.body; completing the response.")]
        public static partial void ResponseIncomplete(ILogger logger, string method, string path);

        [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, EventName = "HttpApplicationCloseTimedOut",
            Message = "HTTP {Method} {Path}: the application did not return within {Timeout} after the disconnect; no longer waiting for it.")]
        public static partial void ApplicationCloseTimedOut(ILogger logger, string method, string path, TimeSpan timeout);

        [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, EventName = "HttpSendIgnored",
            Message = "HTTP {Method} {Path}: a response event after the client left or the request ended; ignored.")]
        public static partial void SendIgnored(ILogger logger, string method, string path);
    }
}
