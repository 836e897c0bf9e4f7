using Microsoft.Extensions.DependencyInjection;
using Switchboard.Security;

namespace Switchboard;

/// <summary>Runs a new <typeparamref name="TConsumer"/>, built from the connection's services, for each connection.</summary>
/// <typeparam name="TConsumer">The consumer type.</typeparam>
internal sealed class ConsumerApplication<TConsumer> : IApplication
    where TConsumer : Consumer
{
    // ActivatorUtilities picks the constructor once; each connection then costs one factory call.
    private static readonly ObjectFactory s_factory = ActivatorUtilities.CreateFactory(typeof(TConsumer), Type.EmptyTypes);

    // ASP.NET Core's [Authorize] implements IAuthorizeData; the core cannot reference it, so it looks for it by name, to
    // refuse (not silently serve) a protected consumer when no IConsumerAuthorizer is registered to enforce it.
    private static readonly bool s_requiresAuthorization = Array.Exists(
        typeof(TConsumer).GetCustomAttributes(inherit: true),
        attribute => attribute.GetType().GetInterface("Microsoft.AspNetCore.Authorization.IAuthorizeData") is not null);

    public static ConsumerApplication<TConsumer> Instance { get; } = new();

    public async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Services.GetService<IConsumerAuthorizer>() is { } authorizer)
        {
            if (!await authorizer.AuthorizeAsync(scope, typeof(TConsumer), receive, send).ConfigureAwait(false))
            {
                return;
            }
        }
        else if (s_requiresAuthorization)
        {
            throw new InvalidOperationException(
                $"{typeof(TConsumer).Name} has [Authorize] but nothing enforces it: call AddSwitchboard(...).AddAuthorization() (Switchboard.AspNetCore).");
        }

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
