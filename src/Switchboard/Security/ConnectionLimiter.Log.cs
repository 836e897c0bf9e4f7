using Microsoft.Extensions.Logging;

namespace Switchboard.Security;

public sealed partial class ConnectionLimiter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, EventName = "UserConnectionLimitReached",
            Message = "Refused a connection to {Path}: user {User} already has {Limit} open (ConnectionLimitOptions.MaxConnectionsPerUser).")]
        public static partial void UserLimitReached(ILogger logger, string path, string user, int limit);

        [LoggerMessage(EventId = 5011, Level = LogLevel.Warning, EventName = "AddressConnectionLimitReached",
            Message = "Refused a connection to {Path}: client address {Address} already has {Limit} open (ConnectionLimitOptions.MaxConnectionsPerClientAddress).")]
        public static partial void AddressLimitReached(ILogger logger, string path, string address, int limit);
    }
}
