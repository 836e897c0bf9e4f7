using Microsoft.Extensions.Logging;

namespace Switchboard.Security;

public sealed partial class OriginValidator
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, EventName = "OriginRefused",
            Message = "Refused the WebSocket handshake to {Path} with 403: origin {Origin} is not allowed (allowed: {AllowedOrigins}). Add the site's origin to the allowed list if it is yours.")]
        public static partial void OriginRefused(ILogger logger, string path, string origin, string allowedOrigins);
    }
}
