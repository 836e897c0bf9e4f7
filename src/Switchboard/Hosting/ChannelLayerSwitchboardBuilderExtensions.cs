using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers channel layers of any kind (Channels' <c>CHANNEL_LAYERS</c> setting): the default layer, and more
/// layers under aliases of their own.</summary>
public static class ChannelLayerSwitchboardBuilderExtensions
{
    /// <summary>The alias of the default channel layer (Channels' <c>CHANNEL_LAYERS["default"]</c>): the
    /// <see cref="IChannelLayer"/> service, also registered as a keyed service under this key.</summary>
    public const string DefaultLayerAlias = "default";

    /// <summary>
    /// Registers a channel layer under an alias, with options of its own type bound and validated like any options.
    /// The <see cref="DefaultLayerAlias"/> makes it the <see cref="IChannelLayer"/> (replacing any other); another
    /// alias adds a keyed <see cref="IChannelLayer"/> that consumers pick with <c>ChannelLayerAlias</c>. Layer packages
    /// call this from their own <c>Add…ChannelLayer</c> method.
    /// </summary>
    /// <typeparam name="TLayer">The layer type.</typeparam>
    /// <typeparam name="TOptions">The layer's options type.</typeparam>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="factory">Builds the layer, once, when it is first resolved, from the container and the validated
    /// options of this alias.</param>
    /// <param name="configure">Changes the options of this alias; optional.</param>
    /// <param name="alias">The alias; default <see cref="DefaultLayerAlias"/>. The options of a non-default alias are
    /// named options under the alias (<c>services.Configure&lt;TOptions&gt;(alias, ...)</c>).</param>
    /// <returns>The builder, to chain more calls.</returns>
    /// <remarks>The options are validated when the host starts: a bad setting fails the start with an
    /// <see cref="OptionsValidationException"/> that names it.</remarks>
    public static ISwitchboardBuilder AddChannelLayer<TLayer, TOptions>(
        this ISwitchboardBuilder builder,
        Func<IServiceProvider, TOptions, TLayer> factory,
        Action<TOptions>? configure = null,
        string alias = DefaultLayerAlias)
        where TLayer : class, IChannelLayer
        where TOptions : ChannelLayerOptions
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentException.ThrowIfNullOrEmpty(alias);
        var services = builder.Services;
        var optionsName = OptionsName(alias);
        AddLayerOptions<TOptions>(services, optionsName);
        if (configure is not null)
        {
            services.Configure(optionsName, configure);
        }

        if (alias == DefaultLayerAlias)
        {
            services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(sp => factory(sp, GetOptions<TOptions>(sp, optionsName))));
            AddDefaultAlias(services);
        }
        else
        {
            services.AddKeyedSingleton<IChannelLayer>(alias, (sp, _) => factory(sp, GetOptions<TOptions>(sp, optionsName)));
        }

        return builder;
    }

    /// <summary>Registers validation on start for a layer's options under a name.</summary>
    internal static void AddLayerOptions<TOptions>(IServiceCollection services, string optionsName)
        where TOptions : ChannelLayerOptions
    {
        services.AddOptions<TOptions>(optionsName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, ChannelLayerOptionsValidator<TOptions>>());
    }

    /// <summary>Registers the <c>"default"</c> keyed layer; it resolves to whatever <see cref="IChannelLayer"/> is
    /// registered last, so it follows a layer added later.</summary>
    internal static void AddDefaultAlias(IServiceCollection services) =>
        services.TryAddKeyedSingleton<IChannelLayer>(DefaultLayerAlias, static (sp, _) => sp.GetRequiredService<IChannelLayer>());

    internal static string OptionsName(string alias) => alias == DefaultLayerAlias ? Options.Options.DefaultName : alias;

    internal static TOptions GetOptions<TOptions>(IServiceProvider services, string optionsName)
        where TOptions : ChannelLayerOptions =>
        services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(optionsName);
}
