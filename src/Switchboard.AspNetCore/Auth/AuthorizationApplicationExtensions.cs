using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Auth;

/// <summary>
/// Per-route authorization: <c>Consumer.AsApplication&lt;T&gt;().RequireAuthorization()</c> refuses connections that
/// fail the requirement before the application runs (a WebSocket handshake with HTTP 403, HTTP with 401 or 403), the
/// route counterpart of <c>[Authorize]</c> on a consumer and of Django's <c>login_required</c>.
/// </summary>
public static class AuthorizationApplicationExtensions
{
    /// <summary>Requires a signed-in user, or when <paramref name="policies"/> are given, every one of those named
    /// policies (registered with <c>services.AddAuthorization(o =&gt; o.AddPolicy(...))</c>).</summary>
    /// <param name="application">The application of the route.</param>
    /// <param name="policies">Named policies; none means the default policy (an authenticated user).</param>
    /// <returns>The guarded application, to put in the router.</returns>
    public static IApplication RequireAuthorization(this IApplication application, params string[] policies)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(policies);
        IAuthorizeData[] data = policies.Length == 0 ? [new AuthorizeAttribute()] : [.. policies.Select(p => new AuthorizeAttribute(p))];
        return new AuthorizedApplication(application, data, policy: null);
    }

    /// <summary>Requires a policy built in code, for example <c>new AuthorizationPolicyBuilder().RequireRole("admin").Build()</c>.</summary>
    /// <param name="application">The application of the route.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>The guarded application, to put in the router.</returns>
    public static IApplication RequireAuthorization(this IApplication application, AuthorizationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(policy);
        return new AuthorizedApplication(application, [], policy);
    }
}
