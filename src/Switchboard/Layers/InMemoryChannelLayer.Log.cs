using Microsoft.Extensions.Logging;

namespace Switchboard;

public sealed partial class InMemoryChannelLayer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, EventName = "GroupSendDropped",
            Message = "Group send of a '{MessageType}' message to group '{Group}' dropped it for {Dropped} of {Members} members because their channels are full (for example '{Channel}'); their readers are slow or gone, and consumers among them are told. Further drops within {Interval} are logged at Debug.")]
        public static partial void GroupSendDroppedWarning(ILogger logger, string group, string messageType, int dropped, int members, string channel, TimeSpan interval);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, EventName = "GroupSendDroppedRepeated",
            Message = "Group send of a '{MessageType}' message to group '{Group}' dropped it for {Dropped} of {Members} members because their channels are full (for example '{Channel}').")]
        public static partial void GroupSendDropped(ILogger logger, string group, string messageType, int dropped, int members, string channel);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, EventName = "MessagesExpired",
            Message = "{Count} messages expired unread on channel '{Channel}'; the channel leaves every group because its reader is presumed gone.")]
        public static partial void MessagesExpired(ILogger logger, int count, string channel);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Error, EventName = "SweepFailed",
            Message = "The in-memory channel layer's sweep failed; it runs again after the next expiry interval.")]
        public static partial void SweepFailed(ILogger logger, Exception exception);
    }
}
