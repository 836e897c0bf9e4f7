using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="InMemoryChannelLayer"/>.</summary>
public static class InMemoryChannelLayerSwitchboardBuilderExtensions
{
    /// <summary>
    /// Makes the <see cref="InMemoryChannelLayer"/> the layer of an alias and configures it. <c>AddSwitchboard()</c>
    /// already registers it as the default layer with default settings when no other layer is registered; call this to
    /// change its settings, to replace another default layer, or to add a second in-memory layer under another alias.
    /// The default alias's settings also bind with
    /// <c>services.Configure&lt;InMemoryChannelLayerOptions&gt;(configuration.GetSection("ChannelLayer"))</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configure">Changes the settings (expiry, group expiry, capacity, per-channel capacities, budget).</param>
    /// <param name="alias">The layer's alias; default <see cref="ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias"/>.</param>
    /// <returns>The builder, to chain more calls.</returns>
    /// <remarks>The settings are validated when the host starts: a setting that is not positive fails the start with an
    /// <see cref="OptionsValidationException"/> that names it.</remarks>
    public static ISwitchboardBuilder AddInMemoryChannelLayer(
        this ISwitchboardBuilder builder,
        Action<InMemoryChannelLayerOptions>? configure = null,
        string alias = ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (alias != ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias)
        {
            return builder.AddChannelLayer<InMemoryChannelLayer, InMemoryChannelLayerOptions>(Create, configure, alias);
        }

        // The default alias keeps one InMemoryChannelLayer singleton, resolvable by its own type too.
        TryAddInMemoryChannelLayer(builder.Services);
        return builder.AddChannelLayer<InMemoryChannelLayer, InMemoryChannelLayerOptions>(
            static (sp, _) => sp.GetRequiredService<InMemoryChannelLayer>(), configure);
    }

    /// <summary>Registers the in-memory layer and makes it the <see cref="IChannelLayer"/> unless one is registered
    /// already; also registers the <c>"default"</c> keyed layer. Called by <c>AddSwitchboard()</c>.</summary>
    internal static void TryAddInMemoryChannelLayer(IServiceCollection services)
    {
        ChannelLayerSwitchboardBuilderExtensions.AddLayerOptions<InMemoryChannelLayerOptions>(services, Options.Options.DefaultName);
        services.TryAddSingleton(static sp => Create(sp, sp.GetRequiredService<IOptions<InMemoryChannelLayerOptions>>().Value));
        services.TryAddSingleton<IChannelLayer>(static sp => sp.GetRequiredService<InMemoryChannelLayer>());
        ChannelLayerSwitchboardBuilderExtensions.AddDefaultAlias(services);
    }

    // A factory, so the container does not have to choose between the layer's constructors.
    private static InMemoryChannelLayer Create(IServiceProvider services, InMemoryChannelLayerOptions options) => new(
        options,
        services.GetService<TimeProvider>() ?? TimeProvider.System,
        services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.InMemoryLayerLogCategory) ?? NullLogger.Instance,
        services.GetService<IMeterFactory>());
}
