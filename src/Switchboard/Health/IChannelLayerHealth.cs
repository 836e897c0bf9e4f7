using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Switchboard;

/// <summary>
/// Implemented by a channel layer that can tell whether it works: reachable, and its receive loop alive. The layer
/// health check that <c>AddSwitchboard(...).AddHealthChecks()</c> registers asks the default layer through this; a
/// layer without it (the in-memory layer) is healthy whenever it exists, since nothing outside the process can fail it.
/// </summary>
public interface IChannelLayerHealth
{
    /// <summary>Called on every probe of the layer health check (each <c>GET /healthz</c>): checks the layer's backing
    /// service within <paramref name="timeout"/> and reports what it found.</summary>
    /// <param name="timeout">How long the check may take (<see cref="SwitchboardHealthCheckOptions.LayerTimeout"/>); past
    /// it the layer is reported unhealthy.</param>
    /// <param name="cancellationToken">Cancelled when the probe is abandoned.</param>
    /// <returns>Healthy, or unhealthy with a description that names what failed and where.</returns>
    Task<HealthCheckResult> CheckHealthAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
