using Microsoft.Extensions.Logging;

namespace Switchboard;

public abstract partial class Consumer
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 2000, Level = LogLevel.Error, EventName = "HandlerFailed",
            Message = "{Consumer} failed while handling '{EventType}' on {Scope}; the consumer stops.")]
        public static partial void HandlerFailed(ILogger logger, string consumer, string eventType, ConnectionScope scope, Exception exception);

        [LoggerMessage(EventId = 2001, Level = LogLevel.Error, EventName = "ErrorHandlerFailed",
            Message = "{Consumer}.OnErrorAsync failed.")]
        public static partial void ErrorHandlerFailed(ILogger logger, string consumer, Exception exception);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Error, EventName = "StopHandlerFailed",
            Message = "{Consumer} failed while ending (OnStopRequestedAsync, or OnStoppedAsync and the disconnect hook).")]
        public static partial void StopHandlerFailed(ILogger logger, string consumer, Exception exception);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Error, EventName = "LayerReceiveFailed",
            Message = "{Consumer} could not receive from the channel layer on {Channel}; the consumer stops.")]
        public static partial void LayerReceiveFailed(ILogger logger, string consumer, string channel, Exception exception);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, EventName = "GroupDiscardFailed",
            Message = "Could not remove {Channel} from group {Group}; the membership will expire.")]
        public static partial void GroupDiscardFailed(ILogger logger, string group, string channel, Exception exception);

        [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, EventName = "HandlerCanceled",
            Message = "{Consumer} stopped handling '{EventType}': the connection closed.")]
        public static partial void HandlerCanceled(ILogger logger, string consumer, string eventType);

        [LoggerMessage(EventId = 2007, Level = LogLevel.Information, EventName = "ConsumerMessagesDropped",
            Message = "{Consumer} missed {Count} channel-layer messages (reason: {Reason}); it stops so that its client can resync.")]
        public static partial void MessagesDropped(ILogger logger, string consumer, long count, string reason);

        [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, EventName = "EventAfterStop",
            Message = "Dropped a '{EventType}' event that arrived after the consumer stopped.")]
        public static partial void EventAfterStop(ILogger logger, string eventType);
    }
}
