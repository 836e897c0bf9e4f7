using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Switchboard.Internal;

namespace Switchboard.AspNetCore.Internal;

/// <summary>Turns an ASP.NET Core request into a <see cref="ConnectionScope"/>.</summary>
internal static class ConnectionScopeFactory
{
    private static readonly ClaimsPrincipal s_anonymous = new(new ClaimsIdentity());

    private static readonly FrozenDictionary<string, string> s_lowerCaseNames = new[]
    {
        HeaderNames.Accept, HeaderNames.AcceptEncoding, HeaderNames.AcceptLanguage, HeaderNames.Authorization,
        HeaderNames.CacheControl, HeaderNames.Connection, HeaderNames.ContentLength, HeaderNames.ContentType,
        HeaderNames.Cookie, HeaderNames.Host, HeaderNames.Origin, HeaderNames.Pragma, HeaderNames.Referer,
        HeaderNames.SecWebSocketExtensions, HeaderNames.SecWebSocketKey, HeaderNames.SecWebSocketProtocol,
        HeaderNames.SecWebSocketVersion, HeaderNames.Upgrade, HeaderNames.UserAgent, "X-Forwarded-For",
        "X-Forwarded-Proto", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site",
    }.ToFrozenDictionary(name => name, name => name.ToLowerInvariant(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Tells whether the request asks for a WebSocket (HTTP/1.1 upgrade or HTTP/2 extended CONNECT), from the request
    /// alone: it runs during routing, before <c>WebSocketMiddleware</c> has added its feature.
    /// </summary>
    public static bool IsWebSocketRequest(HttpContext context)
    {
        if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true })
        {
            foreach (var value in context.Request.Headers.Upgrade)
            {
                if (string.Equals(value, "websocket", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        return context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect
            && string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Builds the scope <see cref="IApplication.CanHandle"/> sees during routing: type, path, root path, scheme, method
    /// and services; no headers or endpoints, so that it stays cheap for requests that end up elsewhere.
    /// </summary>
    public static ConnectionScope CreateForRouting(HttpContext context, bool isWebSocket) =>
        new(isWebSocket ? ScopeTypes.WebSocket : ScopeTypes.Http)
        {
            Path = PathOf(context.Request),
            RootPath = context.Request.PathBase.Value ?? "",
            Scheme = SchemeOf(context.Request, isWebSocket),
            Method = context.Request.Method,
            Services = context.RequestServices,
        };

    /// <summary>Builds the scope of a connection, once, when the endpoint runs.</summary>
    /// <param name="context">The request.</param>
    /// <param name="isWebSocket">Whether the request is a WebSocket handshake.</param>
    /// <param name="trace">The connection's spans, when something listens to the <c>Switchboard</c> activity source.</param>
    /// <param name="sendBatching">The connection's batching of sends (WebSocket connections).</param>
    public static ConnectionScope Create(HttpContext context, bool isWebSocket, ConnectionTrace? trace, ISendBatching? sendBatching = null)
    {
        var request = context.Request;

        // The server's feature, not HttpContext.Connection: that makes a ConnectionInfo the request keeps (56 bytes a
        // socket). A server without the feature (a test host) gives a scope without endpoints.
        var connection = context.Features.Get<IHttpConnectionFeature>();
        var query = request.QueryString.Value;
        return new ConnectionScope(isWebSocket ? ScopeTypes.WebSocket : ScopeTypes.Http)
        {
            Path = PathOf(request),
            RawPath = RawPathOf(context),
            RootPath = request.PathBase.Value ?? "",
            QueryString = string.IsNullOrEmpty(query) ? "" : query[1..],
            Scheme = SchemeOf(request, isWebSocket),
            HttpVersion = HttpVersionOf(request.Protocol),
            Method = request.Method,
            Headers = HeadersOf(request.Headers),
            Client = EndPointOf(connection?.RemoteIpAddress, connection?.RemotePort ?? 0),
            Server = EndPointOf(connection?.LocalIpAddress, connection?.LocalPort ?? 0),
            Subprotocols = isWebSocket && context.WebSockets.WebSocketRequestedProtocols is { Count: > 0 } offered ? [.. offered] : [],
            Cookies = CookiesOf(request),
            User = UserOf(context),
            Services = context.RequestServices,
            ConnectionClosed = context.RequestAborted,

            // For GetHttpContext(): the authentication and session middleware reach the request through it.
            Transport = context,
            SendBatching = sendBatching,
            Trace = trace,
        };
    }

    private static IReadOnlyDictionary<string, string> CookiesOf(HttpRequest request)
    {
        // Nothing to parse (and no dictionary) for the clients that send no cookies, such as most non-browser clients.
        if (request.Headers.Cookie.Count == 0)
        {
            return Switchboard.Internal.EmptyCookies.Instance;
        }

        var cookies = new Dictionary<string, string>(request.Cookies.Count, StringComparer.Ordinal);
        foreach (var (name, value) in request.Cookies)
        {
            cookies.TryAdd(name, value);
        }

        return cookies;
    }

    /// <summary>
    /// The user authentication set (<c>HttpContext.User</c> stores it in the authentication feature), else one shared
    /// anonymous principal: reading <c>HttpContext.User</c> would create a principal and an identity for every connection
    /// of an app without authentication, and keep them for the connection's life.
    /// </summary>
    private static ClaimsPrincipal UserOf(HttpContext context) => context.Features.Get<IHttpAuthenticationFeature>()?.User ?? s_anonymous;

    /// <summary>The scope's <see cref="ConnectionScope.Path"/> of a request (the same string instance).</summary>
    public static string PathOf(HttpRequest request) => request.Path.HasValue ? request.Path.Value! : "/";

    private static string SchemeOf(HttpRequest request, bool isWebSocket) =>
        isWebSocket ? (request.IsHttps ? "wss" : "ws") : (request.IsHttps ? "https" : "http");

    private static string RawPathOf(HttpContext context)
    {
        // The request target as it came on the wire (origin form "/a%20b?x=1"); anything else, such as the absolute
        // form a proxy may send, falls back to the re-encoded path.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(target) && target[0] == '/')
        {
            var query = target.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? target : target[..query];
        }

        var request = context.Request;
        var path = (request.PathBase + request.Path).ToUriComponent();
        return path.Length == 0 ? "/" : path;
    }

    private static string? HttpVersionOf(string protocol)
    {
        if (HttpProtocol.IsHttp11(protocol))
        {
            return "1.1";
        }

        if (HttpProtocol.IsHttp2(protocol))
        {
            return "2";
        }

        if (HttpProtocol.IsHttp3(protocol))
        {
            return "3";
        }

        if (HttpProtocol.IsHttp10(protocol))
        {
            return "1.0";
        }

        return protocol.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) ? protocol[5..] : null;
    }

    private static List<KeyValuePair<string, string>> HeadersOf(IHeaderDictionary headers)
    {
        // Kestrel lists the headers it knows first, then the others, each in arrival order; names are lower-cased
        // as ASGI has them (ToLowerInvariant returns the same string when there is nothing to change). Copied out
        // rather than enumerated: Kestrel keeps the enumerator it boxes for the connection's life (128 bytes a socket).
        var count = headers.Count;
        var copied = ArrayPool<KeyValuePair<string, StringValues>>.Shared.Rent(count);
        headers.CopyTo(copied, 0);
        var list = new List<KeyValuePair<string, string>>(count);
        foreach (var header in copied.AsSpan(0, count))
        {
            // The common names are lower-cased once for all connections: each would otherwise cost every connection a string.
            var name = s_lowerCaseNames.TryGetValue(header.Key, out var lower) ? lower : header.Key.ToLowerInvariant();
            foreach (var value in header.Value)
            {
                if (value is not null)
                {
                    list.Add(new KeyValuePair<string, string>(name, value));
                }
            }
        }

        ArrayPool<KeyValuePair<string, StringValues>>.Shared.Return(copied, clearArray: true);
        return list;
    }

    private static IPEndPoint? EndPointOf(IPAddress? address, int port) => address is null ? null : new IPEndPoint(address, port);
}
