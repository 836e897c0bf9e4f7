namespace Switchboard.Internal;

/// <summary>The services of a scope made without a container: nothing is registered.</summary>
internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static EmptyServiceProvider Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
