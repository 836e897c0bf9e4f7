using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchboard;
using Switchboard.Auth;
using Switchboard.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Turns on authorization for consumers and routes (<c>[Authorize]</c>, <c>RequireAuthorization()</c>).</summary>
public static class SwitchboardAuthorizationBuilderExtensions
{
    /// <summary>
    /// Adds ASP.NET Core's authorization services and the check that enforces <c>[Authorize]</c> and
    /// <c>[AllowAnonymous]</c> on consumer classes before they are built. Without it a consumer with <c>[Authorize]</c>
    /// refuses every connection (HTTP 500 at the handshake, with an error naming this method), never serves one unchecked.
    /// Policies are added as usual: <c>services.AddAuthorization(o =&gt; o.AddPolicy("paying", ...))</c>.
    /// </summary>
    /// <param name="builder">The Switchboard builder returned by <c>AddSwitchboard(...)</c>.</param>
    /// <returns>The same builder.</returns>
    public static ISwitchboardBuilder AddAuthorization(this ISwitchboardBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddAuthorizationCore();
        builder.Services.TryAddSingleton<IConsumerAuthorizer, ConsumerAuthorizer>();
        return builder;
    }
}
