using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Switchboard.AspNetCore.Internal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the health checks (Switchboard's from <c>AddSwitchboard(...).AddHealthChecks()</c>, and any others) with a
/// JSON body that names each check.</summary>
public static class SwitchboardHealthChecksEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Answers <c>GET <paramref name="pattern"/></c> by running every registered health check: 200 when all are healthy
    /// (or degraded), 503 otherwise, with a JSON body naming each check, its status and its description, for example
    /// <c>{"status": "Unhealthy", "checks": {"switchboard.layer": {"status": "Unhealthy", "description": "Redis did not answer PING ..."}}}</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="pattern">The path; default <c>/healthz</c>.</param>
    /// <returns>A builder to add conventions such as <c>RequireHost(...)</c>.</returns>
    /// <exception cref="InvalidOperationException">No health checks are registered: call <c>AddSwitchboard(...).AddHealthChecks()</c>.</exception>
    public static IEndpointConventionBuilder MapSwitchboardHealthChecks(this IEndpointRouteBuilder endpoints, string pattern = "/healthz")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return endpoints.MapHealthChecks(pattern, new HealthCheckOptions
        {
            ResponseWriter = HealthReportJson.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }
}
