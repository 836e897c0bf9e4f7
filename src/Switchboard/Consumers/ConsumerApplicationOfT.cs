using Microsoft.Extensions.DependencyInjection;

namespace Switchboard;

/// <summary>Runs a new <typeparamref name="TConsumer"/>, built from the connection's services, for each connection.</summary>
/// <typeparam name="TConsumer">The consumer type.</typeparam>
internal sealed class ConsumerApplication<TConsumer> : IApplication
    where TConsumer : Consumer
{
    // ActivatorUtilities picks the constructor once; each connection then costs one factory call.
    private static readonly ObjectFactory s_factory = ActivatorUtilities.CreateFactory(typeof(TConsumer), Type.EmptyTypes);

    public static ConsumerApplication<TConsumer> Instance { get; } = new();

    public async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var consumer = (TConsumer)s_factory(scope.Services, null);
        try
        {
            await consumer.RunAsync(scope, receive, send).ConfigureAwait(false);
        }
        finally
        {
            switch (consumer)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    public override string ToString() => typeof(TConsumer).Name;
}
