using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Internal;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The interface server behind one <c>MapSwitchboard()</c>: decides which requests the application claims, turns each
/// claimed request into a connection, and closes the live WebSockets when the host stops.
/// </summary>
internal sealed partial class SwitchboardServer
{
    /// <summary>At most one outbound-overflow Warning per minute, server-wide (the channel layer's drop warnings use the same interval by default).</summary>
    private static readonly TimeSpan OverflowWarningInterval = TimeSpan.FromMinutes(1);

    private readonly ILogger _routingLogger;
    private readonly object _sync = new();
    private readonly HashSet<WebSocketConnection> _webSockets = [];
    private bool _stopping;

    public SwitchboardServer(
        IApplication application,
        SwitchboardServerOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider timeProvider,
        SwitchboardMetrics metrics,
        IHostApplicationLifetime? lifetime)
    {
        Application = application;
        Options = options;
        TimeProvider = timeProvider;
        Metrics = metrics;
        OverflowWarnings = new LogThrottle(timeProvider, OverflowWarningInterval);
        // One category for the whole interface server; the event ids (1000-1999) tell its parts apart.
        var logger = loggerFactory.CreateLogger(SwitchboardDiagnostics.ServerLogCategory);
        WebSocketLogger = logger;
        HttpLogger = logger;
        _routingLogger = logger;
        lifetime?.ApplicationStopping.UnsafeRegister(static state => ((SwitchboardServer)state!).OnStopping(), this);
    }

    public IApplication Application { get; }

    public SwitchboardServerOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public SwitchboardMetrics Metrics { get; }

    /// <summary>Gets the throttle of outbound-overflow warnings, shared by every connection of this server.</summary>
    public LogThrottle OverflowWarnings { get; }

    public ILogger WebSocketLogger { get; }

    public ILogger HttpLogger { get; }

    /// <summary>Gets the access log (daphne's <c>--access-log</c>), or <see langword="null"/> when it is off.</summary>
    public SwitchboardAccessLog? AccessLog { get; init; }

    /// <summary>Asks the application whether it serves the request; runs during routing.</summary>
    public bool CanHandle(HttpContext context)
    {
        var isWebSocket = ConnectionScopeFactory.IsWebSocketRequest(context);
        if (Application.CanHandle(ConnectionScopeFactory.CreateForRouting(context, isWebSocket)))
        {
            return true;
        }

        if (isWebSocket)
        {
            Log.NoRouteForWebSocket(_routingLogger, context.Request.Path.Value ?? "/");
        }

        return false;
    }

    /// <summary>Serves a request the application claimed; the endpoint's request delegate.</summary>
    public Task HandleAsync(HttpContext context)
    {
        if (!ConnectionScopeFactory.IsWebSocketRequest(context))
        {
            return new HttpConnection(this, context).RunAsync();
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            // It asked for an upgrade but the handshake headers are incomplete (no key, wrong version...).
            Log.InvalidWebSocketHandshake(_routingLogger, context.Request.Path.Value ?? "/");
            Metrics.HandshakeRefused("invalid_handshake");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        }

        // The connection's own task serves the request: no wrapper that each idle connection would keep.
        return new WebSocketConnection(this, context).RunAsync();
    }

    /// <summary>Adds a starting connection to those that shutdown closes.</summary>
    /// <returns>False when the host is already stopping (the connection then refuses with 503).</returns>
    public bool Track(WebSocketConnection connection)
    {
        lock (_sync)
        {
            if (_stopping || !_webSockets.Add(connection))
            {
                return false;
            }

            StartLifetimeSweepLocked();
            return true;
        }
    }

    /// <summary>Removes a connection when its request ends.</summary>
    public void Untrack(WebSocketConnection connection)
    {
        lock (_sync)
        {
            _webSockets.Remove(connection);
        }
    }

    private void OnStopping()
    {
        WebSocketConnection[] connections;
        lock (_sync)
        {
            _stopping = true;
            StopLifetimeSweepLocked();
            connections = [.. _webSockets];
        }

        // Only starts each close (1001, or 503 for a handshake still waiting): the host then waits for the requests,
        // and each one finishes within the close and application timeouts.
        Log.ClosingForShutdown(_routingLogger, connections.Length);
        foreach (var connection in connections)
        {
            connection.Shutdown();
        }
    }
}
