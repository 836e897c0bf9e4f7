using Microsoft.Extensions.Logging;

namespace Switchboard.AspNetCore.Internal;

internal sealed partial class WebSocketConnection
{
    /// <summary>
    /// Applies <see cref="SwitchboardServerOptions.IncomingMessageRateLimit"/> as the application takes each message: a
    /// client over its rate is closed with 1008 and the application gets the disconnect instead of the message. Checked
    /// here rather than in the receive loop because the one-slot inbox makes the two rates the same, and here the
    /// disconnect can replace the message the application is waiting for.
    /// </summary>
    private ApplicationEvent AdmitIncoming(ApplicationEvent message)
    {
        if (_incomingRate is null || message is not WebSocketReceiveEvent || _incomingRate.TryTake())
        {
            return message;
        }

        Log.MessageRateExceeded(_logger, Path, _options.IncomingMessageRateLimit, _options.IncomingMessageBurst);
        CloseFromServer(WebSocketCloseCode.PolicyViolation, "Message rate limit exceeded", discardQueued: false);
        lock (_sync)
        {
            // Set by the close above, or by whatever ended the connection first.
            return _disconnect ?? new WebSocketDisconnectEvent(WebSocketCloseCode.PolicyViolation);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1029, Level = LogLevel.Warning, EventName = "MessageRateExceeded",
            Message = "Closed the WebSocket on {Path} with 1008: the client sent more than {Rate} messages a second (burst {Burst}). Raise SwitchboardServerOptions.IncomingMessageRateLimit if this client is legitimate.")]
        public static partial void MessageRateExceeded(ILogger logger, string path, double rate, int burst);
    }
}
