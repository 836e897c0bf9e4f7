using Microsoft.AspNetCore.Http;

namespace Switchboard.AspNetCore.Internal;

/// <summary>Writes an access-log line for each HTTP request, once the response is done; WebSockets that Switchboard
/// served log their own lines (connect, reject, disconnect), so they are skipped here.</summary>
internal sealed class AccessLogMiddleware(RequestDelegate next, SwitchboardAccessLog log)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var start = log.Now();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            if (!context.Items.ContainsKey(SwitchboardAccessLog.WebSocketLoggedKey))
            {
                log.Http(context, start);
            }
        }
    }
}
