using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="RedisChannelLayer"/> (channels_redis' <c>RedisChannelLayer</c> in <c>CHANNEL_LAYERS</c>).</summary>
public static class RedisChannelLayerSwitchboardBuilderExtensions
{
    /// <summary>
    /// Makes the <see cref="RedisChannelLayer"/> on one Redis host the layer of an alias (by default the
    /// <see cref="IChannelLayer"/>): <c>services.AddSwitchboard(app).AddRedisChannelLayer("redis://127.0.0.1:6379")</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="host">The host URL: <c>redis://[:password@]host[:port][/db]</c>, <c>rediss://...</c> or <c>unix:///path/to/redis.sock</c>.</param>
    /// <param name="configure">Changes the other settings; <see langword="null"/> keeps channels_redis' defaults.</param>
    /// <param name="alias">The layer's alias; default <see cref="ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias"/>.</param>
    /// <returns>The builder, to chain more calls.</returns>
    public static ISwitchboardBuilder AddRedisChannelLayer(
        this ISwitchboardBuilder builder,
        string host,
        Action<RedisChannelLayerOptions>? configure = null,
        string alias = ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return builder.AddRedisChannelLayer(
            options =>
            {
                options.Hosts.Clear();
                options.Hosts.Add(host);
                configure?.Invoke(options);
            },
            alias);
    }

    /// <summary>
    /// Makes the <see cref="RedisChannelLayer"/> the layer of an alias (by default the <see cref="IChannelLayer"/>,
    /// replacing any other) and configures it; the default alias's settings also bind with
    /// <c>services.Configure&lt;RedisChannelLayerOptions&gt;(configuration.GetSection("Switchboard:Redis"))</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configure">Changes the settings (hosts, prefix, expiry, capacity, encryption keys, ...).</param>
    /// <param name="alias">The layer's alias; default <see cref="ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias"/>.</param>
    /// <returns>The builder, to chain more calls.</returns>
    /// <remarks>The settings are validated when the host starts: a bad one fails the start with an
    /// <see cref="OptionsValidationException"/> that names it. No connection opens until the first layer operation;
    /// the container disposes the layer (closing its connections) when it is disposed.</remarks>
    public static ISwitchboardBuilder AddRedisChannelLayer(
        this ISwitchboardBuilder builder,
        Action<RedisChannelLayerOptions>? configure = null,
        string alias = ChannelLayerSwitchboardBuilderExtensions.DefaultLayerAlias)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddChannelLayer<RedisChannelLayer, RedisChannelLayerOptions>(
            static (services, options) => new RedisChannelLayer(
                options,
                services.GetService<TimeProvider>() ?? TimeProvider.System,
                services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.RedisLayerLogCategory) ?? NullLogger.Instance,
                services.GetService<IMeterFactory>()),
            configure,
            alias);
    }
}
