using Microsoft.Extensions.Logging;

namespace Switchboard;

/// <summary>Log messages of <see cref="JsonWebSocketConsumer"/> (a separate class because the consumer is abstract and derived by users).</summary>
internal static partial class JsonLog
{
    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, EventName = "InvalidJson",
        Message = "{Consumer} received a text message that is not valid JSON on {Scope}, closing with 1007: {Error}")]
    public static partial void InvalidJson(ILogger logger, string consumer, ConnectionScope scope, string error);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, EventName = "BinaryMessageToJsonConsumer",
        Message = "{Consumer} received a binary message on {Scope}; JSON consumers accept text only. Closing with 1003.")]
    public static partial void BinaryMessage(ILogger logger, string consumer, ConnectionScope scope);
}
