using Microsoft.Extensions.Logging;

namespace Switchboard.Auth;

public sealed partial class AuthMiddleware
{
    internal static partial class Log
    {
        [LoggerMessage(EventId = 5020, Level = LogLevel.Information, EventName = "AuthenticationExpired",
            Message = "Closed the WebSocket on {Path} with 1008: the authentication of {User} expired at {Expires:O}.")]
        public static partial void AuthenticationExpired(ILogger logger, string path, string user, DateTimeOffset expires);

        [LoggerMessage(EventId = 5021, Level = LogLevel.Information, EventName = "UserRevoked",
            Message = "Closed the WebSocket on {Path} with 1008: the re-check of {User} failed (AuthMiddlewareOptions.RevalidateUser answered false).")]
        public static partial void UserRevoked(ILogger logger, string path, string user);

        [LoggerMessage(EventId = 5022, Level = LogLevel.Warning, EventName = "RevalidationFailed",
            Message = "Closed the WebSocket on {Path} with 1008: the re-check of {User} threw.")]
        public static partial void RevalidationFailed(ILogger logger, string path, string user, Exception exception);

        [LoggerMessage(EventId = 5023, Level = LogLevel.Debug, EventName = "WatchingAuthentication",
            Message = "Watching the authentication of {User} on {Path}: {Checks}.")]
        public static partial void Watching(ILogger logger, string user, string path, string checks);
    }
}
