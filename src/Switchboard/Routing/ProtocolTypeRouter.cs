using System.Collections;

namespace Switchboard.Routing;

/// <summary>
/// Routes each connection by its scope type (<see cref="ConnectionScope.Type"/>): <c>http</c>, <c>websocket</c>,
/// <c>channel</c> or a custom protocol name (Channels' <c>ProtocolTypeRouter</c>). Usually the outermost application.
/// </summary>
/// <example>
/// <code>
/// var application = new ProtocolTypeRouter
/// {
///     ["websocket"] = new UrlRouter { { "ws/chat/{room}/", chat } },
///     ["channel"] = new ChannelNameRouter { ["thumbnails"] = thumbnails },
/// };
/// </code>
/// </example>
/// <remarks>
/// Configure the router before the server starts; afterwards it is only read, and reading is thread-safe.
/// As in Channels 4, nothing is mapped implicitly: a scope type without an entry is not handled.
/// </remarks>
// Partial so that overloads that map consumers (Map<TConsumer>) can live in a file of their own.
public sealed partial class ProtocolTypeRouter : IApplication, IEnumerable<KeyValuePair<string, IApplication>>
{
    private readonly ApplicationMap _applications = new("scope type");

    /// <summary>Gets or sets the application for a scope type; setting replaces an existing mapping.</summary>
    /// <param name="type">The scope type, for example <c>websocket</c> (see <see cref="ScopeTypes"/>).</param>
    /// <returns>The application mapped to <paramref name="type"/>.</returns>
    /// <exception cref="KeyNotFoundException">Getting a type that is not mapped.</exception>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty.</exception>
    public IApplication this[string type]
    {
        get => _applications[type];
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(type);
            ArgumentNullException.ThrowIfNull(value);
            _applications[type] = value;
        }
    }

    /// <summary>Maps a scope type to an application; this is what collection initializers
    /// (<c>{ { "websocket", app } }</c>) call.</summary>
    /// <param name="type">The scope type, for example <c>websocket</c> (see <see cref="ScopeTypes"/>).</param>
    /// <param name="application">The application that serves scopes of that type.</param>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty or already mapped.</exception>
    public void Add(string type, IApplication application)
    {
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(application);
        _applications.Add(type, application, nameof(type));
    }

    /// <summary>Maps a scope type to an application and returns this router, for chaining.</summary>
    /// <param name="type">The scope type, for example <c>websocket</c> (see <see cref="ScopeTypes"/>).</param>
    /// <param name="application">The application that serves scopes of that type.</param>
    /// <returns>This router.</returns>
    /// <exception cref="ArgumentException"><paramref name="type"/> is empty or already mapped.</exception>
    public ProtocolTypeRouter Map(string type, IApplication application)
    {
        Add(type, application);
        return this;
    }

    /// <summary>Runs the application mapped to the scope's type, with the scope unchanged.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>The mapped application's task; faulted with <see cref="RouteNotFoundException"/> when the type is not mapped.</returns>
    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!_applications.TryGetValue(scope.Type, out var application))
        {
            return Task.FromException(new RouteNotFoundException(
                $"No application configured for scope type '{scope.Type}' (path '{scope.Path}'). Mapped types: {_applications.DescribeKeys()}. "
                + $"Map one with ProtocolTypeRouter.Map(\"{scope.Type}\", application).",
                scope));
        }

        return application.InvokeAsync(scope, receive, send);
    }

    /// <summary>Tells whether the scope's type is mapped and its application handles the scope.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns><see langword="true"/> when <see cref="InvokeAsync"/> would serve the scope.</returns>
    public bool CanHandle(ConnectionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return _applications.TryGetValue(scope.Type, out var application) && application.CanHandle(scope);
    }

    /// <summary>Enumerates the mappings in the order they were added.</summary>
    /// <returns>The scope types and their applications.</returns>
    public IEnumerator<KeyValuePair<string, IApplication>> GetEnumerator() => _applications.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
