using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Routing;

namespace Switchboard.Functions;

/// <summary>
/// Routes of function consumers, the Channels 1.x style (<c>route("websocket.receive", ws_message, path=...)</c> and
/// <c>include(routes, path=prefix)</c>): each route maps a channel to a <see cref="FunctionHandler"/>, optionally only for
/// a path (an ASP.NET Core style template or a regex) and an HTTP method. The router is an application, so it nests in
/// <see cref="ProtocolTypeRouter"/>, <see cref="UrlRouter"/> and <see cref="ChannelNameRouter"/> like any consumer.
/// </summary>
/// <remarks>
/// <para>The channel of a route is what 1.x called the channel: for a connection, the event type
/// (<c>websocket.connect</c>, <c>websocket.receive</c>, <c>websocket.disconnect</c>, <c>http.request</c>,
/// <c>http.disconnect</c>) or the <c>type</c> of a layer message sent to the connection's reply channel
/// (<c>chat.message</c>); for a worker scope, the named channel (<c>chat-messages</c>). The first route that matches wins.</para>
/// <para>Each connection is served by one consumer instance: its handlers run one at a time in the order the events
/// came (what 1.x's <c>enforce_ordering</c> guaranteed), connect first and disconnect last. Without a
/// <c>websocket.connect</c> route the socket is accepted; a <c>websocket.receive</c> without a route is ignored; a layer
/// message without a route is an error, as for a class consumer (logged, the socket closed with 1011). A path no route
/// matches is not handled, so the request falls through, as for unrouted consumers.</para>
/// <para>Paths are matched as <see cref="UrlRouter"/> matches them: without the leading <c>/</c>, against what outer
/// routers left (<see cref="ConnectionScope.PathRemaining"/>); captured values are merged into the route values.</para>
/// </remarks>
public sealed partial class FunctionRouter : IApplication
{
    private readonly List<FunctionRoute> _routes = [];

    /// <summary>Adds a route (1.x's <c>route(channel, consumer, path=..., method=...)</c>).</summary>
    /// <param name="channel">An event type such as <c>websocket.receive</c>, a layer message type such as
    /// <c>chat.message</c>, or a named channel such as <c>chat-messages</c>.</param>
    /// <param name="handler">The function consumer.</param>
    /// <param name="path">An ASP.NET Core style template the whole (remaining) path must match, such as
    /// <c>ws/chat/{room}/</c>; <see langword="null"/> for any path.</param>
    /// <param name="method">An HTTP method the request must have, such as <c>GET</c>; <see langword="null"/> for any.</param>
    /// <returns>This router.</returns>
    /// <exception cref="ArgumentException">The template is malformed.</exception>
    public FunctionRouter Route(string channel, FunctionHandler handler, string? path = null, string? method = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        _routes.Add(FunctionRoute.ForHandler(channel, handler, path is null ? null : UrlRoute.FromTemplate(path, this, prefix: false), method));
        return this;
    }

    /// <summary>Adds a route whose path filter is a regular expression, used as written (anchor it with <c>^</c> and
    /// <c>$</c>; named groups become route values), as 1.x's <c>path=r"^chat/(?P&lt;room&gt;\w+)/$"</c>.</summary>
    /// <param name="channel">The event type, layer message type or named channel.</param>
    /// <param name="handler">The function consumer.</param>
    /// <param name="path">The path regex.</param>
    /// <param name="method">An HTTP method the request must have, or <see langword="null"/>.</param>
    /// <returns>This router.</returns>
    public FunctionRouter Route(string channel, FunctionHandler handler, Regex path, string? method = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(path);
        _routes.Add(FunctionRoute.ForHandler(channel, handler, UrlRoute.FromRegex(path, this, prefix: false), method));
        return this;
    }

    /// <summary>Includes routes under a path prefix (1.x's <c>include(routes, path=prefix)</c>): the prefix is removed
    /// before the included routes match, and the values it captures are passed down to them.</summary>
    /// <param name="prefix">A template for the prefix, such as <c>ws/rooms/{room}/</c>.</param>
    /// <param name="routes">The included routes.</param>
    /// <returns>This router.</returns>
    public FunctionRouter Include(string prefix, FunctionRouter routes)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfInvalidInclude(routes);
        _routes.Add(FunctionRoute.ForInclude(UrlRoute.FromTemplate(prefix, this, prefix: true), routes));
        return this;
    }

    /// <summary>Includes routes under a path prefix given as a regex (anchor it with <c>^</c>).</summary>
    /// <param name="prefix">The prefix regex; named groups become route values.</param>
    /// <param name="routes">The included routes.</param>
    /// <returns>This router.</returns>
    public FunctionRouter Include(Regex prefix, FunctionRouter routes)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfInvalidInclude(routes);
        _routes.Add(FunctionRoute.ForInclude(UrlRoute.FromRegex(prefix, this, prefix: true), routes));
        return this;
    }

    /// <summary>Serves a connection or a worker channel with the routed handlers.</summary>
    /// <param name="scope">The scope: <c>websocket</c>, <c>http</c> or <c>channel</c>.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>A task that completes when the connection is over; faulted with <see cref="RouteNotFoundException"/>
    /// for a scope no route serves.</returns>
    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!CanHandle(scope))
        {
            return Task.FromException(new RouteNotFoundException(
                $"No function route for scope type '{scope.Type}' (path '{scope.Path}'{(scope.Channel is null ? "" : $", channel '{scope.Channel}'")}). "
                + $"Routes: {Describe()}.",
                scope));
        }

        return scope.Type switch
        {
            ScopeTypes.Channel => RunChannelAsync(scope, receive),
            ScopeTypes.WebSocket => new FunctionWebSocketConsumer(this).RunAsync(scope, receive, send),
            _ => new FunctionHttpConsumer(this).RunAsync(scope, receive, send),
        };
    }

    /// <summary>Tells whether a route serves the scope: a <c>websocket.*</c> route for a WebSocket path, an
    /// <c>http.request</c> route for an HTTP path and method, a route named after a worker scope's channel.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns><see langword="true"/> when <see cref="InvokeAsync"/> would serve it.</returns>
    public bool CanHandle(ConnectionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Type switch
        {
            ScopeTypes.Channel => scope.Channel is not null && Find(scope.Channel, scope) is not null,
            ScopeTypes.WebSocket => Find(EventTypes.WebSocketConnect, scope) is not null
                || Find(EventTypes.WebSocketReceive, scope) is not null
                || Find(EventTypes.WebSocketDisconnect, scope) is not null,
            ScopeTypes.Http => Find(EventTypes.HttpRequest, scope) is not null,
            _ => false,
        };
    }

    /// <summary>Finds the first route for a channel that matches the scope's path and method.</summary>
    internal FunctionRouteMatch? Find(string channel, ConnectionScope scope)
    {
        var path = scope.PathRemaining ?? scope.Path;
        var start = 0;
        while (start < path.Length && path[start] == '/')
        {
            start++;
        }

        return TryFind(channel, scope, path, start, scope.RouteValues, out var match) ? match : null;
    }

    private bool TryFind(
        string channel,
        ConnectionScope scope,
        string path,
        int start,
        IReadOnlyDictionary<string, object?> values,
        [NotNullWhen(true)] out FunctionRouteMatch? match)
    {
        foreach (var route in _routes)
        {
            if (route.Included is { } included)
            {
                if (route.Path!.TryMatch(path, start, values, out var remaining, out var captured)
                    && included.TryFind(channel, scope, remaining, 0, captured, out match))
                {
                    return true;
                }

                continue;
            }

            if (!string.Equals(route.Channel, channel, StringComparison.Ordinal)
                || (route.Method is not null && !string.Equals(route.Method, scope.Method, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var routeValues = values;
            if (route.Path is not null && !route.Path.TryMatch(path, start, values, out _, out routeValues))
            {
                continue;
            }

            match = new FunctionRouteMatch(route.Handler!, routeValues);
            return true;
        }

        match = null;
        return false;
    }

    /// <summary>Runs a worker channel: each message goes to the channel's handler; a handler that throws is logged with
    /// the channel and the message type, and the next message is handled (at-most-once, as for every worker).</summary>
    private async Task RunChannelAsync(ConnectionScope scope, ReceiveDelegate receive)
    {
        var match = Find(scope.Channel!, scope)!;
        var layer = scope.Services.GetService<IChannelLayer>();
        var logger = scope.Services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.WorkersLogCategory) ?? NullLogger.Instance;

        // Ends when the worker stops: its receive throws OperationCanceledException.
        while (true)
        {
            var message = await receive(CancellationToken.None).ConfigureAwait(false);
            using var activity = SwitchboardActivities.StartHandle(message, scope, typeof(FunctionRouter), scope.Channel);
            try
            {
                await match.Handler(new FunctionMessage(message, match.Values, scope, connection: null, layer), scope.ConnectionClosed).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !scope.ConnectionClosed.IsCancellationRequested)
            {
                SwitchboardActivities.SetError(activity, ex);
                Log.WorkerHandlerFailed(logger, scope.Channel!, message.Type, ex);
                HandlerFailures.Report(scope, ex);
            }
        }
    }

    private string Describe() => _routes.Count == 0 ? "none" : string.Join(", ", _routes.Select(static r => r.Describe()));

    private void ThrowIfInvalidInclude(FunctionRouter routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        if (ReferenceEquals(routes, this) || routes.Includes(this))
        {
            throw new ArgumentException("A FunctionRouter cannot include itself.", nameof(routes));
        }
    }

    private bool Includes(FunctionRouter router) =>
        _routes.Exists(r => r.Included is { } included && (ReferenceEquals(included, router) || included.Includes(router)));
}
