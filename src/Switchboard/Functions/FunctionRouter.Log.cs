using Microsoft.Extensions.Logging;

namespace Switchboard.Functions;

public sealed partial class FunctionRouter
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 4010, Level = LogLevel.Error, EventName = "FunctionWorkerHandlerFailed",
            Message = "The function consumer for channel {Channel} failed on a '{MessageType}' message; it takes the next message.")]
        public static partial void WorkerHandlerFailed(ILogger logger, string channel, string messageType, Exception exception);
    }
}
