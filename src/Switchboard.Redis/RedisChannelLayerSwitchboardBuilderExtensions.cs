using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="RedisChannelLayer"/>.</summary>
public static class RedisChannelLayerSwitchboardBuilderExtensions
{
    /// <summary>
    /// Makes the <see cref="RedisChannelLayer"/> on one Redis host the <see cref="IChannelLayer"/>:
    /// <c>services.AddSwitchboard(app).AddRedisChannelLayer("redis://127.0.0.1:6379")</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="host">The host URL: <c>redis://[:password@]host[:port][/db]</c>, <c>rediss://...</c> or <c>unix:///path/to/redis.sock</c>.</param>
    /// <param name="configure">Changes the other settings; <see langword="null"/> keeps channels_redis' defaults.</param>
    /// <returns>The builder, to chain more calls.</returns>
    public static ISwitchboardBuilder AddRedisChannelLayer(this ISwitchboardBuilder builder, string host, Action<RedisChannelLayerOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return builder.AddRedisChannelLayer(options =>
        {
            options.Hosts.Clear();
            options.Hosts.Add(host);
            configure?.Invoke(options);
        });
    }

    /// <summary>
    /// Makes the <see cref="RedisChannelLayer"/> the <see cref="IChannelLayer"/>, replacing any other layer, and
    /// configures it; or bind the settings with
    /// <c>services.Configure&lt;RedisChannelLayerOptions&gt;(configuration.GetSection("Switchboard:Redis"))</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="configure">Changes the settings (hosts, prefix, expiry, capacity, encryption keys, ...).</param>
    /// <returns>The builder, to chain more calls.</returns>
    /// <remarks>The settings are validated when the host starts: a bad one fails the start with an
    /// <see cref="OptionsValidationException"/> that names it. No connection opens until the first layer operation.</remarks>
    public static ISwitchboardBuilder AddRedisChannelLayer(this ISwitchboardBuilder builder, Action<RedisChannelLayerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<RedisChannelLayerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisChannelLayerOptions>, RedisChannelLayerOptionsValidator>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(static sp => new RedisChannelLayer(
            sp.GetRequiredService<IOptions<RedisChannelLayerOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<RedisChannelLayer>>() ?? NullLogger<RedisChannelLayer>.Instance,
            sp.GetService<IMeterFactory>()));
        services.Replace(ServiceDescriptor.Singleton<IChannelLayer>(static sp => sp.GetRequiredService<RedisChannelLayer>()));
        return builder;
    }
}
