using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Switchboard;

/// <summary>
/// The <c>switchboard.layer</c> check: asks the default channel layer, through <see cref="IChannelLayerHealth"/>,
/// whether it is reachable and receiving, within <see cref="SwitchboardHealthCheckOptions.LayerTimeout"/>. A layer that
/// cannot tell (the in-memory layer) is healthy.
/// </summary>
internal sealed class ChannelLayerHealthCheck(IChannelLayer layer, IOptions<SwitchboardHealthCheckOptions> options) : IHealthCheck
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(1);

    private readonly TimeSpan _timeout = options.Value.LayerTimeout;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var kind = layer.GetType().Name;
        if (layer is not IChannelLayerHealth health)
        {
            return HealthCheckResult.Healthy($"{kind}: in this process, always reachable.");
        }

        try
        {
            // The layer bounds its own check by the timeout and says which host failed; this bound, a second later, only
            // catches a layer that does not.
            var result = await health.CheckHealthAsync(_timeout, cancellationToken).WaitAsync(_timeout + s_grace, cancellationToken).ConfigureAwait(false);
            return result.Status == HealthStatus.Healthy
                ? result
                : new HealthCheckResult(context.Registration.FailureStatus, result.Description, result.Exception, result.Data);
        }
        catch (TimeoutException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{kind} did not answer within {_timeout} (SwitchboardHealthCheckOptions.LayerTimeout).", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{kind} failed its health check: {ex.Message}", ex);
        }
    }
}
