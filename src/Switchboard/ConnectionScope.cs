using System.Net;
using System.Security.Claims;
using Switchboard.Internal;

namespace Switchboard;

/// <summary>
/// Everything known about one connection (Channels' <c>scope</c>): created by the interface server when the connection
/// opens and handed, unchanged or enriched by middleware and routers, to the application instance that serves it.
/// </summary>
/// <remarks>
/// A scope lives exactly as long as its connection. Middleware and routers never mutate a scope they were given:
/// they pass on a copy made with a <see langword="with"/> expression, as Channels' <c>BaseMiddleware</c> copies the dict.
/// </remarks>
public sealed record ConnectionScope
{
    private static readonly ClaimsPrincipal s_anonymous = new(new ClaimsIdentity());

    // A box shared by the copies a "with" expression makes, so that a login inside a consumer reaches the scope the
    // middleware around it holds.
    private UserSlot _user = new(s_anonymous);

    // Shared by copies too; the bag itself is made on first use, as most connections never use one.
    private ItemsSlot _items = new();

    /// <summary>Creates a scope of the given type.</summary>
    /// <param name="type">The scope type: <c>http</c>, <c>websocket</c>, <c>channel</c> or a custom protocol name.</param>
    public ConnectionScope(string type)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        Type = type;
    }

    /// <summary>Gets the scope type: <c>http</c>, <c>websocket</c>, <c>channel</c> or a custom protocol name.</summary>
    public string Type { get; init; }

    /// <summary>Gets the request path, percent-decoded, with its leading <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>Gets the path as it came on the wire, before percent-decoding.</summary>
    public string RawPath { get; init; } = "/";

    /// <summary>Gets the part of <see cref="Path"/> that outer routers have not matched yet (Channels' <c>path_remaining</c>),
    /// without a leading <c>/</c>; <see langword="null"/> until a router has matched a prefix.</summary>
    public string? PathRemaining { get; init; }

    /// <summary>Gets the path prefix the application is mounted under (ASGI <c>root_path</c>).</summary>
    public string RootPath { get; init; } = "";

    /// <summary>Gets the raw query string, without the leading <c>?</c>.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>Gets the URL scheme: <c>ws</c>, <c>wss</c>, <c>http</c> or <c>https</c>.</summary>
    public string Scheme { get; init; } = "http";

    /// <summary>Gets the HTTP version of the request (<c>1.1</c>, <c>2</c>), or <see langword="null"/> outside HTTP.</summary>
    public string? HttpVersion { get; init; }

    /// <summary>Gets the HTTP method for <c>http</c> scopes (<c>GET</c> for a WebSocket handshake), or <see langword="null"/>.</summary>
    public string? Method { get; init; }

    /// <summary>Gets the request headers in arrival order, names lower-cased.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Gets the remote endpoint, when known.</summary>
    public IPEndPoint? Client { get; init; }

    /// <summary>Gets the local endpoint that accepted the connection, when known.</summary>
    public IPEndPoint? Server { get; init; }

    /// <summary>Gets the WebSocket subprotocols the client offered, in its order of preference.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    /// <summary>Gets the values captured by routers (Channels' <c>url_route["kwargs"]</c>), for example <c>room</c>
    /// from <c>ws/chat/{room}/</c>, merged with the route's defaults.</summary>
    public IReadOnlyDictionary<string, object?> RouteValues { get; init; } = EmptyRouteValues.Instance;

    /// <summary>Gets the channel name a <c>channel</c> scope listens on (worker scopes), otherwise <see langword="null"/>.</summary>
    public string? Channel { get; init; }

    /// <summary>Gets the request's cookies by name (Channels' <c>scope["cookies"]</c>), from the <c>Cookie</c> header:
    /// filled by Switchboard's server, or by <c>CookieMiddleware</c> for scopes built without them.</summary>
    public IReadOnlyDictionary<string, string> Cookies { get; init; } = EmptyCookies.Instance;

    /// <summary>Gets the authenticated user (Channels' <c>scope["user"]</c>); an anonymous principal when nobody signed in.</summary>
    /// <remarks>Setting it in a <see langword="with"/> copy gives that copy its own user. The login and logout helpers
    /// (Switchboard.AspNetCore's <c>ScopeAuthentication</c>) and the authentication re-check replace the user in place,
    /// as Channels' <c>login()</c> assigns <c>scope["user"]</c>: the change is seen by this scope and every copy made from
    /// it since its user was last set.</remarks>
    public ClaimsPrincipal User
    {
        get => _user.Value;
        init => _user = new UserSlot(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Gets the services for this connection: a scope of the host's container that lives as long as the connection,
    /// so scoped services are per connection.</summary>
    public IServiceProvider Services { get; init; } = EmptyServiceProvider.Instance;

    /// <summary>Gets a bag for middleware and application state that lives as long as the connection.
    /// Copies of a scope share one bag.</summary>
    public IDictionary<object, object?> Items
    {
        get => _items.Bag ??= new Dictionary<object, object?>();
        init => _items = new ItemsSlot { Bag = value ?? throw new ArgumentNullException(nameof(value)) };
    }

    /// <summary>Gets a token that fires when the connection goes away.</summary>
    public CancellationToken ConnectionClosed { get; init; }

    /// <summary>Gets the interface server's own object behind the connection (Switchboard.AspNetCore: the request's
    /// <c>HttpContext</c>, for <c>GetHttpContext()</c>); <see langword="null"/> for workers and test communicators.</summary>
    internal object? Transport { get; init; }

    /// <summary>Gets the server's batching of sends, when it has one (Switchboard.AspNetCore's WebSocket connection).</summary>
    internal ISendBatching? SendBatching { get; init; }

    /// <summary>Gets the connection's spans (its request, its open handshake) that handle spans hang from; set by the
    /// interface server only while a listener subscribes to the <c>Switchboard</c> activity source, and shared by copies.</summary>
    internal ConnectionTrace? Trace { get; init; }

    /// <summary>Returns the first value of a request header, or <see langword="null"/>.</summary>
    /// <param name="name">The header name, in any case.</param>
    /// <returns>The value, or <see langword="null"/> when the header is absent.</returns>
    public string? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>Returns a route value as a string, or <see langword="null"/> when it was not captured.</summary>
    /// <param name="name">The route value name, for example <c>room</c>.</param>
    /// <returns>The value as a string.</returns>
    public string? GetRouteValue(string name) =>
        RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>Replaces the user of this scope and of the copies that share its user (login, logout, re-checks).</summary>
    /// <param name="user">The new user.</param>
    internal void SetUser(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        _user.Value = user;
    }

    /// <summary>Describes the scope by type and path (a worker scope by its channel); headers are left out so that logs
    /// never carry cookies.</summary>
    /// <returns>For example <c>websocket /ws/chat/lobby/</c> or <c>channel thumbnails</c>.</returns>
    public override string ToString() => Channel is null ? $"{Type} {Path}" : $"{Type} {Channel}";

    private sealed class UserSlot(ClaimsPrincipal value)
    {
        public ClaimsPrincipal Value { get; set; } = value;
    }

    private sealed class ItemsSlot
    {
        public IDictionary<object, object?>? Bag { get; set; }
    }
}
