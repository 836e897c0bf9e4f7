using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Switchboard's health checks to the host's health-check service.</summary>
public static class HealthChecksSwitchboardBuilderExtensions
{
    /// <summary>
    /// Registers two health checks, run on every probe: <c>switchboard.layer</c> (the default channel layer is reachable
    /// and its receive loop alive: always for the in-memory layer, a <c>PING</c> to every host within
    /// <see cref="SwitchboardHealthCheckOptions.LayerTimeout"/> for Redis) and <c>switchboard.workers</c> (every worker
    /// channel has a running loop, none stuck on one message beyond
    /// <see cref="SwitchboardHealthCheckOptions.MaxWorkerMessageDuration"/>). Map them with
    /// <c>app.MapHealthChecks("/healthz")</c>: 200 while healthy, 503 otherwise.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configure">Changes the checks' settings; optional.</param>
    /// <returns>The builder.</returns>
    /// <remarks>Calling it again only applies <paramref name="configure"/>. The settings are validated when the host starts: a bad value fails the start with an
    /// <see cref="OptionsValidationException"/> that names it.</remarks>
    public static ISwitchboardBuilder AddHealthChecks(this ISwitchboardBuilder builder, Action<SwitchboardHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (configure is not null)
        {
            services.Configure(configure);
        }

        // Once: the health-check service refuses two checks of one name.
        if (services.Any(static d => d.ServiceType == typeof(IValidateOptions<SwitchboardHealthCheckOptions>)))
        {
            return builder;
        }

        services.AddOptions<SwitchboardHealthCheckOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardHealthCheckOptions>, SwitchboardHealthCheckOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddHealthChecks()
            .AddCheck<ChannelLayerHealthCheck>(SwitchboardHealthCheckOptions.LayerCheckName, tags: [SwitchboardHealthCheckOptions.Tag])
            .AddCheck<WorkerHealthCheck>(SwitchboardHealthCheckOptions.WorkersCheckName, tags: [SwitchboardHealthCheckOptions.Tag]);
        return builder;
    }
}
