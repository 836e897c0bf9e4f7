using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.CommandLine.Internal;

/// <summary>Lets the command line call the <see cref="ISwitchboardBuilder"/> extensions (<c>AddWorker</c>) on the app's services.</summary>
internal sealed class ServiceCollectionSwitchboardBuilder(IServiceCollection services) : ISwitchboardBuilder
{
    public IServiceCollection Services { get; } = services;
}
