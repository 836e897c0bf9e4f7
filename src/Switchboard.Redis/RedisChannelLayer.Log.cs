using Microsoft.Extensions.Logging;

namespace Switchboard.Redis;

public sealed partial class RedisChannelLayer
{
    internal static partial class Log
    {
        [LoggerMessage(EventId = 3501, Level = LogLevel.Warning, EventName = "GroupSendDropped",
            Message = "Group send of a '{MessageType}' message to group '{Group}' skipped {Dropped} of {Members} members because their Redis keys are full (for example '{Channel}'); their readers are slow or gone. Further drops within {Interval} are logged at Debug.")]
        public static partial void GroupSendDroppedWarning(ILogger logger, string group, string messageType, int dropped, int members, string channel, TimeSpan interval);

        [LoggerMessage(EventId = 3502, Level = LogLevel.Debug, EventName = "GroupSendDroppedRepeated",
            Message = "Group send of a '{MessageType}' message to group '{Group}' skipped {Dropped} of {Members} members because their Redis keys are full (for example '{Channel}').")]
        public static partial void GroupSendDropped(ILogger logger, string group, string messageType, int dropped, int members, string channel);

        [LoggerMessage(EventId = 3503, Level = LogLevel.Debug, EventName = "MessagesExpired",
            Message = "{Count} messages expired unread on '{Channel}' and were discarded.")]
        public static partial void MessagesExpired(ILogger logger, long count, string channel);

        [LoggerMessage(EventId = 3504, Level = LogLevel.Warning, EventName = "ReceiveLoopFailed",
            Message = "The receive loop for this process's channels lost Redis at {Host}; retrying in {RetryIn} (further failures within 30 s are logged at Debug). Consumers keep waiting and get their messages once Redis is back.")]
        public static partial void ReceiveLoopFailed(ILogger logger, string host, TimeSpan retryIn, Exception exception);

        [LoggerMessage(EventId = 3505, Level = LogLevel.Debug, EventName = "ReceiveLoopFailedRepeated",
            Message = "The receive loop still cannot reach Redis at {Host}; retrying in {RetryIn}: {Error}")]
        public static partial void ReceiveLoopFailedRepeated(ILogger logger, string host, TimeSpan retryIn, string error);

        [LoggerMessage(EventId = 3506, Level = LogLevel.Information, EventName = "ReceiveLoopRecovered",
            Message = "The receive loop reached Redis at {Host} again after {Failures} failed attempts.")]
        public static partial void ReceiveLoopRecovered(ILogger logger, string host, int failures);

        [LoggerMessage(EventId = 3507, Level = LogLevel.Error, EventName = "UndecodableMessage",
            Message = "Skipped a message of {Length} bytes for '{Key}' that is not a channels_redis message: the sender uses another serializer, random prefix length or encryption keys.")]
        public static partial void UndecodableMessage(ILogger logger, string key, int length, Exception exception);

        [LoggerMessage(EventId = 3508, Level = LogLevel.Debug, EventName = "UnblockFailed",
            Message = "Could not wake the blocking pop of Redis client {ClientId} on {Host}; it ends at its timeout instead.")]
        public static partial void UnblockFailed(ILogger logger, long clientId, string host, Exception exception);

        [LoggerMessage(EventId = 3509, Level = LogLevel.Warning, EventName = "MessageForAnotherProcess",
            Message = "Dropped a message for channel '{Channel}' found on this process's key '{ProcessPart}': the name belongs to another process.")]
        public static partial void MessageForAnotherProcess(ILogger logger, string channel, string processPart);

        [LoggerMessage(EventId = 3510, Level = LogLevel.Warning, EventName = "MessageWithoutChannel",
            Message = "Dropped a '{MessageType}' message for '{Key}' that names no local channel (__asgi_channel__ is missing).")]
        public static partial void MessageWithoutChannel(ILogger logger, string key, string messageType);

        [LoggerMessage(EventId = 3511, Level = LogLevel.Debug, EventName = "MembersLeftGroup",
            Message = "{Count} members of group '{Group}' (for example '{Channel}') had messages expire unread; they leave the group because their readers are gone.")]
        public static partial void MembersLeftGroup(ILogger logger, int count, string group, string channel);

        [LoggerMessage(EventId = 3512, Level = LogLevel.Debug, EventName = "ReceiveLoopStarted",
            Message = "The receive loop for this process's channels started on {Host}.")]
        public static partial void ReceiveLoopStarted(ILogger logger, string host);

        [LoggerMessage(EventId = 3513, Level = LogLevel.Debug, EventName = "ReceiveLoopStopped",
            Message = "The receive loop for this process's channels stopped on {Host}.")]
        public static partial void ReceiveLoopStopped(ILogger logger, string host);

        [LoggerMessage(EventId = 3514, Level = LogLevel.Warning, EventName = "BudgetDropped",
            Message = "Dropped a '{MessageType}' message for local channel '{Channel}': its consumer has {MaxBytes} bytes unread (SpecificChannelMaxBytes) and reads slower than messages arrive; it finds a marker in their place. Further drops within {Interval} are logged at Debug.")]
        public static partial void BudgetDroppedWarning(ILogger logger, string messageType, string channel, long maxBytes, TimeSpan interval);

        [LoggerMessage(EventId = 3515, Level = LogLevel.Debug, EventName = "BudgetDroppedRepeated",
            Message = "Dropped a '{MessageType}' message for local channel '{Channel}' over its byte budget.")]
        public static partial void BudgetDropped(ILogger logger, string messageType, string channel);
    }
}
