using Microsoft.Extensions.Logging;

namespace Switchboard.Security;

public sealed partial class OriginValidator
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, EventName = "OriginRefused",
            Message = "Refused the WebSocket handshake to {Path} with 403: origin {Origin} is not allowed (allowed: {AllowedOrigins}). Add the site's origin to the allowed list if it is yours.")]
        public static partial void OriginRefused(ILogger logger, string path, string origin, string allowedOrigins);

        // Its own event rather than "origin (none)": a handshake without an Origin header is refused only by requireOrigin.
        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, EventName = "OriginMissing",
            Message = "Refused the WebSocket handshake to {Path} with 403: it has no Origin header, and this validator requires one (allowed: {AllowedOrigins}). Non-browser clients must send an allowed Origin, or set requireOrigin: false.")]
        public static partial void OriginMissing(ILogger logger, string path, string allowedOrigins);
    }
}
