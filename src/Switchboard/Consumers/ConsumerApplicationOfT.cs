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

    private static readonly bool s_disposable =
        typeof(IAsyncDisposable).IsAssignableFrom(typeof(TConsumer)) || typeof(IDisposable).IsAssignableFrom(typeof(TConsumer));

    public static ConsumerApplication<TConsumer> Instance { get; } = new();

    public Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Services.GetService<IConsumerAuthorizer>() is { } authorizer)
        {
            return AuthorizeThenRunAsync(authorizer, scope, receive, send);
        }

        if (s_requiresAuthorization)
        {
            return Task.FromException(new InvalidOperationException(
                $"{typeof(TConsumer).Name} has [Authorize] but nothing enforces it: call AddSwitchboard(...).AddAuthorization() (Switchboard.AspNetCore)."));
        }

        // The consumer's own task is the connection's: no wrapping state machine (about 180 bytes an idle connection
        // would keep) unless the consumer needs disposing when it ends. Failures still come as the task's, not thrown.
        TConsumer consumer;
        try
        {
            consumer = (TConsumer)s_factory(scope.Services, null);
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }

        return s_disposable ? RunAndDisposeAsync(consumer, scope, receive, send) : consumer.RunAsync(scope, receive, send);
    }

    public override string ToString() => typeof(TConsumer).Name;

    private static async Task AuthorizeThenRunAsync(IConsumerAuthorizer authorizer, ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        if (await authorizer.AuthorizeAsync(scope, typeof(TConsumer), receive, send).ConfigureAwait(false))
        {
            await RunAndDisposeAsync((TConsumer)s_factory(scope.Services, null), scope, receive, send).ConfigureAwait(false);
        }
    }

    private static async Task RunAndDisposeAsync(TConsumer consumer, ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
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
}
