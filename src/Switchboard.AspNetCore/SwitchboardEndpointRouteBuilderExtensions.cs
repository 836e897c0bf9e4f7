using Microsoft.AspNetCore.Routing;
using Switchboard.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Switchboard's root application (<c>services.AddSwitchboard(app)</c>) into endpoint routing.</summary>
public static class SwitchboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves WebSocket and HTTP requests with Switchboard's root application (Django's <c>ASGI_APPLICATION</c>).
    /// A request the application does not claim (its <see cref="Switchboard.IApplication.CanHandle"/> answers
    /// <see langword="false"/>) falls through to the rest of the pipeline: other endpoints, static files, or 404.
    /// </summary>
    /// <remarks>
    /// The endpoint is a catch-all (<c>/{**path}</c>) with a low priority: every other endpoint that matches wins over it,
    /// fallbacks (<c>MapFallback</c>) excepted. <c>UseWebSockets()</c> is not required. Options are read and validated here.
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <returns>A builder to add conventions such as <c>RequireAuthorization()</c> or <c>RequireHost(...)</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddSwitchboard(...)</c> was not called.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The <see cref="Switchboard.AspNetCore.SwitchboardServerOptions"/> are invalid.</exception>
    public static IEndpointConventionBuilder MapSwitchboard(this IEndpointRouteBuilder endpoints) =>
        SwitchboardEndpoint.Map(endpoints, prefix: null);

    /// <summary>
    /// Serves requests under <paramref name="prefix"/> with Switchboard's root application; see <see cref="MapSwitchboard(IEndpointRouteBuilder)"/>.
    /// The prefix only limits which requests reach the application: the scope's path is still the whole request path,
    /// so routes are written the same with or without a prefix.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="prefix">A path prefix such as <c>/ws</c>; it may contain route parameters.</param>
    /// <returns>A builder to add conventions such as <c>RequireAuthorization()</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddSwitchboard(...)</c> was not called.</exception>
    public static IEndpointConventionBuilder MapSwitchboard(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return SwitchboardEndpoint.Map(endpoints, prefix);
    }
}
