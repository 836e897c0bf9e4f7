using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Routing;

/// <summary>
/// Routes each connection by its path (Channels' <c>URLRouter</c>). Routes are ASP.NET Core style templates
/// (<c>ws/chat/{room}/</c>, Channels' <c>path()</c>) or .NET regular expressions with named groups
/// (<c>^ws/chat/(?&lt;room&gt;\w+)/$</c>, Channels' <c>re_path()</c>), tried in order; the first match wins.
/// </summary>
/// <example>
/// <code>
/// var websocket = new UrlRouter
/// {
///     { "ws/chat/{room}/", chat },
///     { "ws/echo/", echo },
///     { "ws/admin/", new UrlRouter { { "users/{id:int}/", users } } },
/// };
/// </code>
/// </example>
/// <remarks>
/// <para>The router matches <see cref="ConnectionScope.PathRemaining"/>, or <see cref="ConnectionScope.Path"/> when no
/// outer router has matched yet, with its leading <c>/</c> removed, as Channels does. Captured values are merged into
/// <see cref="ConnectionScope.RouteValues"/> (outer routers' values, then this route's captures and defaults, as
/// strings), and the application gets a copy of the scope; the original is never changed.</para>
/// <para>A route whose application is another <see cref="UrlRouter"/> matches a prefix: the matched part is removed and
/// the rest is passed on as <see cref="ConnectionScope.PathRemaining"/>. When the nested router has no route for the
/// rest, this router goes on with its next route, as Channels does. Any other route must match the whole path
/// (templates are anchored at both ends; regular expressions are used as written, so anchor them with <c>^</c> and <c>$</c>).</para>
/// <para>Configure the router before the server starts; afterwards it is only read, and reading is thread-safe.</para>
/// </remarks>
// Partial so that overloads that map consumers (Map<TConsumer>) can live in a file of their own.
public sealed partial class UrlRouter : IApplication, IEnumerable<KeyValuePair<string, IApplication>>
{
    private const int RoutesListedInErrors = 10;

    private readonly List<UrlRoute> _routes = [];

    /// <summary>Adds a route from a template; this is what collection initializers (<c>{ { "ws/echo/", echo } }</c>) call.</summary>
    /// <param name="template">An ASP.NET Core style route template such as <c>ws/chat/{room}/</c> (see docs/routing.md).</param>
    /// <param name="application">The application for paths the template matches; a nested <see cref="UrlRouter"/> gets the rest of the path.</param>
    /// <exception cref="ArgumentException">The template is malformed or uses an unknown constraint; the message names the template and the problem.</exception>
    public void Add(string template, IApplication application)
    {
        ArgumentNullException.ThrowIfNull(template);
        ThrowIfInvalidApplication(application);
        _routes.Add(UrlRoute.FromTemplate(template, application));
    }

    /// <summary>Adds a route from a regular expression, used as written (Channels' <c>re_path()</c>).</summary>
    /// <param name="regex">A regex with named groups, for example <c>^ws/chat/(?&lt;room&gt;\w+)/$</c>; it keeps its own options and timeout.</param>
    /// <param name="application">The application for paths the regex matches; a nested <see cref="UrlRouter"/> gets the rest of the path after the match.</param>
    public void Add(Regex regex, IApplication application)
    {
        ArgumentNullException.ThrowIfNull(regex);
        ThrowIfInvalidApplication(application);
        _routes.Add(UrlRoute.FromRegex(regex, application));
    }

    /// <summary>Adds a route from a template and returns this router, for chaining (Channels' <c>path()</c>).</summary>
    /// <param name="template">An ASP.NET Core style route template such as <c>ws/chat/{room}/</c> (see docs/routing.md).</param>
    /// <param name="application">The application for paths the template matches; a nested <see cref="UrlRouter"/> gets the rest of the path.</param>
    /// <returns>This router.</returns>
    /// <exception cref="ArgumentException">The template is malformed or uses an unknown constraint.</exception>
    public UrlRouter Map(string template, IApplication application)
    {
        Add(template, application);
        return this;
    }

    /// <summary>Adds a route from a regular expression and returns this router, for chaining (Channels' <c>re_path()</c>).</summary>
    /// <param name="regex">A regex with named groups; it keeps its own options and timeout.</param>
    /// <param name="application">The application for paths the regex matches.</param>
    /// <returns>This router.</returns>
    public UrlRouter Map(Regex regex, IApplication application)
    {
        Add(regex, application);
        return this;
    }

    /// <summary>Adds a route from a regular expression pattern and returns this router, for chaining (Channels'
    /// <c>re_path()</c>). The pattern is compiled once, culture-invariant, with a one-second match timeout.</summary>
    /// <param name="pattern">A .NET regex with named groups, for example <c>^ws/chat/(?&lt;room&gt;\w+)/$</c>; it is
    /// searched for in the path, so anchor it with <c>^</c> (and <c>$</c> for an endpoint).</param>
    /// <param name="application">The application for paths the regex matches.</param>
    /// <returns>This router.</returns>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression.</exception>
    public UrlRouter MapRegex([StringSyntax(StringSyntaxAttribute.Regex)] string pattern, IApplication application)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return Map(new Regex(pattern, RegexOptions.CultureInvariant, RouteTemplate.MatchTimeout), application);
    }

    /// <summary>Runs the application of the first route that matches the path, with a copy of the scope that carries
    /// the captured <see cref="ConnectionScope.RouteValues"/> and the <see cref="ConnectionScope.PathRemaining"/>.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>The routed application's task; faulted with <see cref="RouteNotFoundException"/> when no route matches.</returns>
    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return TryRoute(scope, out var application, out var routed)
            ? application.InvokeAsync(routed, receive, send)
            : Task.FromException(CreateNotFoundException(scope));
    }

    /// <summary>Tells whether a route matches the path and its application handles the routed scope (for a nested
    /// router: whether one of its routes matches the rest and that application handles it).</summary>
    /// <param name="scope">The scope.</param>
    /// <returns><see langword="true"/> when <see cref="InvokeAsync"/> would serve the scope.</returns>
    public bool CanHandle(ConnectionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return TryRoute(scope, out var application, out var routed) && application.CanHandle(routed);
    }

    /// <summary>Enumerates the routes in order, each as its template or regex pattern and its application.</summary>
    /// <returns>The routes.</returns>
    public IEnumerator<KeyValuePair<string, IApplication>> GetEnumerator()
    {
        foreach (var route in _routes)
        {
            yield return new KeyValuePair<string, IApplication>(route.Pattern, route.Application);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Finds the application for a scope, walking through nested routers, and the scope to give it.</summary>
    private bool TryRoute(
        ConnectionScope scope,
        [NotNullWhen(true)] out IApplication? application,
        [NotNullWhen(true)] out ConnectionScope? routed)
    {
        var path = scope.PathRemaining ?? scope.Path;
        var start = 0;
        while (start < path.Length && path[start] == '/')
        {
            start++;
        }

        foreach (var route in _routes)
        {
            if (!route.TryMatch(path, start, scope.RouteValues, out var remaining, out var values))
            {
                continue;
            }

            var next = scope with { PathRemaining = remaining, RouteValues = values };
            if (route.Application is UrlRouter nested)
            {
                // As in Channels, a nested router without a route for the rest sends this router on to its next route.
                if (nested.TryRoute(next, out application, out routed))
                {
                    return true;
                }

                continue;
            }

            application = route.Application;
            routed = next;
            return true;
        }

        application = null;
        routed = null;
        return false;
    }

    private RouteNotFoundException CreateNotFoundException(ConnectionScope scope)
    {
        var message = new StringBuilder()
            .Append("No route found for path '").Append((scope.PathRemaining ?? scope.Path).TrimStart('/'))
            .Append("' (scope type '").Append(scope.Type).Append("', path '").Append(scope.Path).Append("'). ");
        if (_routes.Count == 0)
        {
            return new RouteNotFoundException(message.Append("The router has no routes.").ToString(), scope);
        }

        message.Append("Routes tried: ");
        for (var i = 0; i < Math.Min(_routes.Count, RoutesListedInErrors); i++)
        {
            message.Append(i == 0 ? "'" : ", '").Append(_routes[i].Pattern).Append(_routes[i].IsPrefix ? "' (nested router)" : "'");
        }

        if (_routes.Count > RoutesListedInErrors)
        {
            message.Append(" and ").Append(_routes.Count - RoutesListedInErrors).Append(" more");
        }

        return new RouteNotFoundException(message.Append('.').ToString(), scope);
    }

    private void ThrowIfInvalidApplication(IApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);

        // A router nested in itself, directly or further down, would route forever.
        if (application is UrlRouter nested && (ReferenceEquals(nested, this) || nested.Contains(this)))
        {
            throw new ArgumentException("A UrlRouter cannot be nested inside itself.", nameof(application));
        }
    }

    private bool Contains(UrlRouter router) =>
        _routes.Exists(route => route.Application is UrlRouter nested && (ReferenceEquals(nested, router) || nested.Contains(router)));
}
