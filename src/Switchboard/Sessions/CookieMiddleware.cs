using System.Net;

namespace Switchboard.Sessions;

/// <summary>
/// Fills <see cref="ConnectionScope.Cookies"/> from the <c>Cookie</c> header (Channels' <c>CookieMiddleware</c>) for
/// scopes that arrive without them: those built by test communicators or another server. Switchboard's Kestrel server
/// already fills them, so under it this middleware passes the scope on unchanged.
/// </summary>
/// <remarks>Values are percent-decoded; a name that appears twice keeps its first value, as ASP.NET Core does.
/// Pairs without <c>=</c> are ignored.</remarks>
public sealed class CookieMiddleware(IApplication inner) : ApplicationMiddleware(inner)
{
    /// <summary>Parses the cookies when the connection opens and runs the wrapped application with them.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>The wrapped application's task.</returns>
    public override Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Cookies.Count == 0 && scope.GetHeader("cookie") is { Length: > 0 })
        {
            scope = scope with { Cookies = Parse(scope.Headers) };
        }

        return Inner.InvokeAsync(scope, receive, send);
    }

    /// <summary>Parses every <c>Cookie</c> header (<c>a=1; b=2</c>) into a dictionary.</summary>
    /// <param name="headers">The request headers.</param>
    /// <returns>The cookies by name.</returns>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (!string.Equals(name, "cookie", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var pair in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    continue;
                }

                var cookieValue = pair[(equals + 1)..].Trim();
                if (cookieValue.Length >= 2 && cookieValue[0] == '"' && cookieValue[^1] == '"')
                {
                    cookieValue = cookieValue[1..^1];
                }

                cookies.TryAdd(pair[..equals].Trim(), WebUtility.UrlDecode(cookieValue));
            }
        }

        return cookies;
    }
}
