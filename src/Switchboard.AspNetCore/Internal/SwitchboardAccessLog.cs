using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// Writes daphne's access log: one line per HTTP request and per WebSocket connecting, connect, reject and disconnect,
/// <c>client - - [date] "request" status size duration</c>, where the WebSocket requests read <c>WSCONNECTING /path</c>,
/// <c>WSCONNECT</c>, <c>WSREJECT</c>, <c>WSDISCONNECT</c>. Daphne's line ends at the size; the duration (seconds) is ours.
/// </summary>
/// <remarks>Lines are written synchronously under a lock and flushed at once, so that a crash loses none; keep the log
/// off (the default) where every request's microseconds count.</remarks>
internal sealed class SwitchboardAccessLog(TextWriter writer, TimeProvider timeProvider)
{
    /// <summary>Marks a request whose lines the WebSocket connection writes, so that the HTTP middleware skips it.</summary>
    public static readonly object WebSocketLoggedKey = new();

    private readonly object _sync = new();

    public long Now() => Stopwatch.GetTimestamp();

    public void Http(HttpContext context, long startTimestamp)
    {
        var request = context.Request;
        var target = $"{request.Method} {request.PathBase}{request.Path}{request.QueryString}";
        var size = context.Response.ContentLength is { } length ? length.ToString(CultureInfo.InvariantCulture) : "-";
        Write(context, target, context.Response.StatusCode.ToString(CultureInfo.InvariantCulture), size, startTimestamp);
    }

    public void WebSocket(HttpContext context, string action, int? status, long? startTimestamp)
    {
        var request = context.Request;
        Write(context, $"{action} {request.PathBase}{request.Path}", status?.ToString(CultureInfo.InvariantCulture) ?? "-", "-", startTimestamp);
    }

    private void Write(HttpContext context, string request, string status, string size, long? startTimestamp)
    {
        var connection = context.Connection;
        var client = connection.RemoteIpAddress is { } address
            ? $"{(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)}:{connection.RemotePort}"
            : "-";
        var date = timeProvider.GetLocalNow().ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture);
        var line = startTimestamp is { } start
            ? FormattableString.Invariant($"{client} - - [{date}] \"{request}\" {status} {size} {Stopwatch.GetElapsedTime(start).TotalSeconds:0.000}s")
            : $"{client} - - [{date}] \"{request}\" {status} {size}";
        lock (_sync)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
