namespace Switchboard.Routing;

/// <summary>
/// Thrown by a router's <see cref="IApplication.InvokeAsync"/> when nothing is mapped for the scope: no application for
/// its type (<see cref="ProtocolTypeRouter"/>), no route for its path (<see cref="UrlRouter"/>) or no application for its
/// channel (<see cref="ChannelNameRouter"/>). Channels raises <c>ValueError</c> in these cases.
/// </summary>
/// <remarks>
/// Servers call <see cref="IApplication.CanHandle"/> first, so a server sees this exception only when it runs a router
/// for a scope the router said it cannot handle. The message names the scope's type and path.
/// </remarks>
public sealed class RouteNotFoundException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public RouteNotFoundException()
        : base("No route found for the connection scope.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was not found.</param>
    public RouteNotFoundException(string? message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What was not found.</param>
    /// <param name="innerException">The cause.</param>
    public RouteNotFoundException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a scope no route matched.</summary>
    /// <param name="message">What was not found; include the scope's type and path, as the routers do.</param>
    /// <param name="scope">The scope that was being routed.</param>
    public RouteNotFoundException(string? message, ConnectionScope scope)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ScopeType = scope.Type;
        Path = scope.Path;
    }

    /// <summary>Gets the type of the scope that was being routed, when known.</summary>
    public string? ScopeType { get; }

    /// <summary>Gets the path of the scope that was being routed (<see cref="ConnectionScope.Path"/>), when known.</summary>
    public string? Path { get; }
}
