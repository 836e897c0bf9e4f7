using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Auth;

/// <summary>An application behind an authorization requirement (<see cref="AuthorizationApplicationExtensions.RequireAuthorization(IApplication, string[])"/>).</summary>
internal sealed class AuthorizedApplication(IApplication inner, IAuthorizeData[] authorizeData, AuthorizationPolicy? policy) : ApplicationMiddleware(inner)
{
    private Task<AuthorizationPolicy?>? _combined;

    public override async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var required = policy ?? await (_combined ??= ScopeAuthorization.CombineAsync(scope.Services, authorizeData)).ConfigureAwait(false);
        if (required is null || await ScopeAuthorization.AuthorizeAsync(scope, required, Inner.ToString() ?? "route", receive, send).ConfigureAwait(false))
        {
            await Inner.InvokeAsync(scope, receive, send).ConfigureAwait(false);
        }
    }
}
