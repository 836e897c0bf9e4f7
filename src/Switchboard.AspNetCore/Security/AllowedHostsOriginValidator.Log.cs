using Microsoft.Extensions.Logging;

namespace Switchboard.Security;

public sealed partial class AllowedHostsOriginValidator
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, EventName = "AllowedHostsUnset",
            Message = "AllowedHosts is not set: WebSocket handshakes are accepted only from the origins {Hosts}. Set AllowedHosts (for example \"example.com;*.example.com\") to the site's host names.")]
        public static partial void AllowedHostsUnset(ILogger logger, string hosts);
    }
}
