using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds workers (Channels' <c>runworker</c>) to a Switchboard host.</summary>
public static class WorkerSwitchboardBuilderExtensions
{
    /// <summary>
    /// Runs a worker inside this host for the named channels (Channels' <c>runworker thumbnails</c>): each channel gets one
    /// long-lived instance of the root application with a <c>channel</c> scope, and receives the channel's messages in order.
    /// With the in-memory layer this is the only way to serve worker channels, since that layer does not cross processes.
    /// </summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="channels">Normal channel names, such as <c>thumbnails</c>.</param>
    /// <returns>The builder.</returns>
    /// <remarks><see cref="WorkerOptions"/> are validated when the host starts: a bad setting fails the start with an
    /// <see cref="OptionsValidationException"/> that names it.</remarks>
    public static ISwitchboardBuilder AddWorker(this ISwitchboardBuilder builder, params string[] channels)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var channel in channels)
        {
            ChannelNames.ThrowIfInvalidChannelName(channel, nameof(channels));
        }

        builder.Services.Configure<WorkerOptions>(options => options.Channels.UnionWith(channels));
        builder.Services.AddOptions<WorkerOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>());
        builder.Services.TryAddSingleton<WorkerActivity>();
        builder.Services.TryAddSingleton(static sp => new WorkerMetrics(sp.GetService<IMeterFactory>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChannelWorker>());
        return builder;
    }
}
