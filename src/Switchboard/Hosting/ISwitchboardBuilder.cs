using Microsoft.Extensions.DependencyInjection;

namespace Switchboard;

/// <summary>Configures Switchboard's services; returned by <c>AddSwitchboard()</c> so that layers and workers chain onto it.</summary>
public interface ISwitchboardBuilder
{
    /// <summary>Gets the service collection Switchboard registers into.</summary>
    IServiceCollection Services { get; }
}
