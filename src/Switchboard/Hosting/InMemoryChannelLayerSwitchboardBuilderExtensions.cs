using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="InMemoryChannelLayer"/>.</summary>
public static class InMemoryChannelLayerSwitchboardBuilderExtensions
{
    /// <summary>The alias of the default channel layer (Channels' <c>CHANNEL_LAYERS["default"]</c>): the
    /// <see cref="IChannelLayer"/> is also registered as a keyed service under this key.</summary>
    public const string DefaultLayerAlias = "default";

    /// <summary>
    /// Makes the <see cref="InMemoryChannelLayer"/> the <see cref="IChannelLayer"/>, replacing any other layer, and
    /// configures it. <c>AddSwitchboard()</c> already registers it with default settings when no other layer is
    /// registered; call this to change its settings, or bind them with
    /// <c>services.Configure&lt;InMemoryChannelLayerOptions&gt;(configuration.GetSection("ChannelLayer"))</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configure">Changes the settings (expiry, group expiry, capacity, per-channel capacities).</param>
    /// <returns>The builder, to chain more calls.</returns>
    /// <remarks>The settings are validated when the host starts: a setting that is not positive fails the start with an
    /// <see cref="OptionsValidationException"/> that names it.</remarks>
    public static ISwitchboardBuilder AddInMemoryChannelLayer(this ISwitchboardBuilder builder, Action<InMemoryChannelLayerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        TryAddInMemoryChannelLayer(builder.Services);
        if (configure is not null)
        {
            builder.Services.Configure(configure);
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(static sp => sp.GetRequiredService<InMemoryChannelLayer>()));
        return builder;
    }

    /// <summary>Registers the in-memory layer and makes it the <see cref="IChannelLayer"/> unless one is registered
    /// already; also registers the <c>"default"</c> keyed layer. Called by <c>AddSwitchboard()</c>.</summary>
    internal static void TryAddInMemoryChannelLayer(IServiceCollection services)
    {
        services.AddOptions<InMemoryChannelLayerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InMemoryChannelLayerOptions>, InMemoryChannelLayerOptionsValidator>());

        // A factory, so the container does not have to choose between the layer's constructors.
        services.TryAddSingleton(static sp => new InMemoryChannelLayer(
            sp.GetRequiredService<IOptions<InMemoryChannelLayerOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<InMemoryChannelLayer>>() ?? Logging.Abstractions.NullLogger<InMemoryChannelLayer>.Instance,
            sp.GetService<IMeterFactory>()));
        services.TryAddSingleton<IChannelLayer>(static sp => sp.GetRequiredService<InMemoryChannelLayer>());

        // The alias resolves to whatever IChannelLayer is registered last, so it follows a layer added later.
        services.TryAddKeyedSingleton<IChannelLayer>(DefaultLayerAlias, static (sp, _) => sp.GetRequiredService<IChannelLayer>());
    }
}
