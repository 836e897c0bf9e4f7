using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard;
using Switchboard.AspNetCore;
using Switchboard.AspNetCore.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Switchboard's interface server (<see cref="SwitchboardServerOptions"/>) from <c>AddSwitchboard(...)</c>.</summary>
/// <remarks>
/// The server needs no registration of its own: <c>app.MapSwitchboard()</c> works with the defaults. These methods are
/// shorthands for <c>services.Configure&lt;SwitchboardServerOptions&gt;(...)</c> that also register the options'
/// validator with <c>ValidateOnStart</c>, so a bad value fails the host's start; options configured otherwise are
/// validated by the same validator when <c>MapSwitchboard()</c> runs.
/// </remarks>
public static class SwitchboardServerBuilderExtensions
{
    /// <summary>Configures the interface server's options in code.</summary>
    /// <param name="builder">The Switchboard builder returned by <c>AddSwitchboard(...)</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same builder, to chain further calls.</returns>
    public static ISwitchboardBuilder ConfigureServer(this ISwitchboardBuilder builder, Action<SwitchboardServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        AddValidation(builder.Services);
        return builder;
    }

    /// <summary>Binds the interface server's options from configuration, for example <c>configuration.GetSection("Switchboard:Server")</c>.</summary>
    /// <param name="builder">The Switchboard builder returned by <c>AddSwitchboard(...)</c>.</param>
    /// <param name="configuration">The configuration section whose keys are <see cref="SwitchboardServerOptions"/> property names.</param>
    /// <returns>The same builder, to chain further calls.</returns>
    public static ISwitchboardBuilder ConfigureServer(this ISwitchboardBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.Configure<SwitchboardServerOptions>(configuration);
        AddValidation(builder.Services);
        return builder;
    }

    private static void AddValidation(IServiceCollection services)
    {
        services.AddOptions<SwitchboardServerOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardServerOptions>>(SwitchboardServerOptionsValidator.Instance));
    }
}
