using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Switchboard.AspNetCore.Internal;

/// <summary>
/// The constraint on the Switchboard endpoint's catch-all parameter: the endpoint matches a request only when the
/// application claims it (<see cref="IApplication.CanHandle"/>), so anything else falls through to the rest of the pipeline.
/// </summary>
/// <remarks>
/// A constraint instance in the route pattern does the job of a <c>MatcherPolicy</c> without a service registration,
/// which <c>MapSwitchboard()</c> could not add any more (it runs after the container is built). The matcher runs it
/// for every request whose candidates include this endpoint, also when another endpoint wins.
/// </remarks>
internal sealed class SwitchboardRouteConstraint(SwitchboardServer server) : IRouteConstraint
{
    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        httpContext is null || routeDirection != RouteDirection.IncomingRequest || server.CanHandle(httpContext);
}
