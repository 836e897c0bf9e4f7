using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authorization;
using Switchboard.Security;

namespace Switchboard.Auth;

/// <summary>
/// Enforces ASP.NET Core's <c>[Authorize]</c> (user, roles, policy, schemes) and <c>[AllowAnonymous]</c> on consumer
/// classes, before the consumer is built; registered by <c>AddSwitchboard(...).AddAuthorization()</c>.
/// </summary>
internal sealed class ConsumerAuthorizer : IConsumerAuthorizer
{
    // The combined policy of each consumer type, built once (policies come from a provider, which may be dynamic, but
    // the attributes do not change).
    private readonly ConcurrentDictionary<Type, Task<AuthorizationPolicy?>> _policies = new();

    public async ValueTask<bool> AuthorizeAsync(ConnectionScope scope, Type consumerType, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(consumerType);
        var policy = await _policies.GetOrAdd(consumerType, static (type, services) => PolicyOfAsync(type, services), scope.Services).ConfigureAwait(false);
        return policy is null || await ScopeAuthorization.AuthorizeAsync(scope, policy, consumerType.Name, receive, send).ConfigureAwait(false);
    }

    private static Task<AuthorizationPolicy?> PolicyOfAsync(Type consumerType, IServiceProvider services)
    {
        if (consumerType.GetCustomAttributes(inherit: true).OfType<IAllowAnonymous>().Any())
        {
            return Task.FromResult<AuthorizationPolicy?>(null);
        }

        var authorizeData = consumerType.GetCustomAttributes(inherit: true).OfType<IAuthorizeData>().ToArray();
        return authorizeData.Length == 0 ? Task.FromResult<AuthorizationPolicy?>(null) : ScopeAuthorization.CombineAsync(services, authorizeData);
    }
}
