using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Internal;

namespace Switchboard.Security;

/// <summary>
/// Refuses WebSocket handshakes whose <c>Origin</c> is not in an allowed list (Channels' <c>OriginValidator</c>), the
/// defence against cross-site WebSocket hijacking: browsers send cookies with a WebSocket handshake from any page, so
/// without this check any site a user visits could open a socket as that user.
/// </summary>
/// <remarks>
/// <para>Patterns follow Channels: <c>*</c> allows everything; <c>example.com</c> allows that host on any scheme and
/// port; <c>.example.com</c> allows example.com and every subdomain; <c>https://example.com</c> or
/// <c>http://example.com:8000</c> also fix the scheme and the port (80 for http and ws, 443 for https and wss when none
/// is written). Hosts compare case-insensitively.</para>
/// <para>A refused handshake gets HTTP 403 before the wrapped application runs: the consumer is never built.
/// A handshake without <c>Origin</c> comes from a non-browser client (browsers always send it); it is accepted unless
/// <c>requireOrigin</c> is set, which refuses it unless <c>*</c> is allowed, as Channels does.</para>
/// </remarks>
/// <example>
/// <code>
/// ["websocket"] = new OriginValidator(new UrlRouter().Map&lt;ChatConsumer&gt;("ws/chat/{room}/"), ["https://chat.example.com", ".example.org"]),
/// </code>
/// </example>
public sealed partial class OriginValidator : ApplicationMiddleware
{
    private readonly OriginPattern[] _patterns;
    private readonly bool _requireOrigin;

    /// <summary>Wraps <paramref name="inner"/> so that only handshakes from the allowed origins reach it.</summary>
    /// <param name="inner">The application to guard, usually the WebSocket <c>UrlRouter</c>.</param>
    /// <param name="allowedOrigins">The allowed origin patterns (see the remarks); an empty list refuses every browser.</param>
    /// <param name="requireOrigin">Whether to refuse handshakes without an <c>Origin</c> header unless <c>*</c> is allowed
    /// (Channels' behaviour). Default <see langword="false"/>: non-browser clients, which send none, are accepted.</param>
    /// <exception cref="ArgumentException">A pattern is malformed, for example <c>*.example.com</c> (write <c>.example.com</c>).</exception>
    public OriginValidator(IApplication inner, IEnumerable<string> allowedOrigins, bool requireOrigin = false)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        _patterns = [.. allowedOrigins.Select(OriginPattern.Parse)];
        _requireOrigin = requireOrigin;
    }

    /// <summary>Gets the allowed origin patterns, as written.</summary>
    public IReadOnlyList<string> AllowedOrigins => [.. _patterns.Select(p => p.Text)];

    /// <summary>Checks the handshake's <c>Origin</c> when the connection opens, then runs the wrapped application or refuses
    /// the handshake with HTTP 403 (logged).</summary>
    /// <param name="scope">The connection's scope; it must be a <c>websocket</c> scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>A task that completes when the connection is served or refused.</returns>
    /// <exception cref="InvalidOperationException">The scope is not a WebSocket scope (Channels raises <c>ValueError</c>).</exception>
    public override Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Type != ScopeTypes.WebSocket)
        {
            return Task.FromException(new InvalidOperationException(
                $"OriginValidator guards WebSocket connections only, not '{scope.Type}' scopes: put it under ProtocolTypeRouter's \"websocket\" entry."));
        }

        var origin = OriginOf(scope, out var headerCount);
        if (IsAllowed(origin, headerCount))
        {
            return Inner.InvokeAsync(scope, receive, send);
        }

        var logger = scope.Services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.SecurityLogCategory) ?? NullLogger.Instance;
        if (origin is null)
        {
            Log.OriginMissing(logger, scope.Path, string.Join(", ", AllowedOrigins));
        }
        else
        {
            Log.OriginRefused(logger, scope.Path, origin, string.Join(", ", AllowedOrigins));
        }

        return ConnectionRefusal.RefuseAsync(scope, receive, send, httpStatus: 403, reason: "origin");
    }

    /// <summary>Tells whether a handshake with this <c>Origin</c> header value would be let through.</summary>
    /// <param name="origin">The header value, or <see langword="null"/> when the request has none.</param>
    /// <returns><see langword="true"/> when the origin matches a pattern (or is absent and that is allowed).</returns>
    public bool IsAllowed(string? origin) => IsAllowed(origin, origin is null ? 0 : 1);

    private bool IsAllowed(string? origin, int headerCount)
    {
        if (headerCount == 0)
        {
            return !_requireOrigin || Array.Exists(_patterns, p => p.MatchesAll);
        }

        // Two Origin headers are not something a browser sends; refuse rather than pick one.
        if (headerCount > 1 || !ParsedOrigin.TryParse(origin, out var parsed))
        {
            return false;
        }

        foreach (var pattern in _patterns)
        {
            if (pattern.Matches(parsed.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static string? OriginOf(ConnectionScope scope, out int count)
    {
        string? origin = null;
        count = 0;
        foreach (var header in scope.Headers)
        {
            if (string.Equals(header.Key, "origin", StringComparison.OrdinalIgnoreCase))
            {
                origin = header.Value;
                count++;
            }
        }

        return origin;
    }
}
