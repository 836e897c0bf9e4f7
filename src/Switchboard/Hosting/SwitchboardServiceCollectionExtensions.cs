using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Switchboard in a service collection.</summary>
public static class SwitchboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds Switchboard with its root application (Django's <c>ASGI_APPLICATION</c>), usually a
    /// <c>ProtocolTypeRouter</c>. The in-memory channel layer is the default layer unless another is added.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="application">The root application.</param>
    /// <returns>A builder to add a layer or workers.</returns>
    public static ISwitchboardBuilder AddSwitchboard(this IServiceCollection services, IApplication application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return services.AddSwitchboard(_ => application);
    }

    /// <summary>Adds Switchboard with a root application built from the container once, on first use.</summary>
    /// <param name="services">The services.</param>
    /// <param name="application">Builds the root application.</param>
    /// <returns>A builder to add a layer or workers.</returns>
    public static ISwitchboardBuilder AddSwitchboard(this IServiceCollection services, Func<IServiceProvider, IApplication> application)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(application);
        services.AddLogging();
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new ConsumerMetrics(sp.GetService<IMeterFactory>(), sp.GetService<IOptions<SwitchboardMetricsOptions>>()?.Value));
        services.TryAddSingleton(static sp => new WorkerMetrics(sp.GetService<IMeterFactory>()));
        InMemoryChannelLayerSwitchboardBuilderExtensions.TryAddInMemoryChannelLayer(services);
        services.Replace(ServiceDescriptor.Singleton(sp => new SwitchboardApplication(application(sp))));
        return new SwitchboardBuilder(services);
    }
}
