using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.AspNetCore;
using Switchboard.Internal;

namespace Switchboard.Auth;

/// <summary>
/// Evaluates an ASP.NET Core authorization policy for a connection and refuses it when the policy fails: a WebSocket
/// handshake with HTTP 403 (never accepted and then closed), an HTTP request with 401 (no user) or 403 (the wrong user).
/// Shared by <c>[Authorize]</c> on consumers and <c>RequireAuthorization()</c> on routes.
/// </summary>
internal static partial class ScopeAuthorization
{
    /// <summary>Combines <c>[Authorize]</c>-style data into one policy, or <see langword="null"/> when nothing is required.</summary>
    public static Task<AuthorizationPolicy?> CombineAsync(IServiceProvider services, IEnumerable<IAuthorizeData> authorizeData)
    {
        var provider = services.GetService<IAuthorizationPolicyProvider>() ?? throw MissingAuthorization();
        return AuthorizationPolicy.CombineAsync(provider, authorizeData);
    }

    /// <summary>Runs the policy; <see langword="false"/> when the connection was refused.</summary>
    public static async ValueTask<bool> AuthorizeAsync(ConnectionScope scope, AuthorizationPolicy policy, string target, ReceiveDelegate receive, SendDelegate send)
    {
        var authorization = scope.Services.GetService<IAuthorizationService>() ?? throw MissingAuthorization();
        var user = await UserForAsync(scope, policy).ConfigureAwait(false);
        var result = await authorization.AuthorizeAsync(user, scope, policy).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return true;
        }

        var authenticated = user.Identity?.IsAuthenticated == true;
        var logger = scope.Services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.SecurityLogCategory) ?? NullLogger.Instance;
        if (authenticated)
        {
            Log.Forbidden(logger, scope.Path, target, user.Identity!.Name ?? "(unnamed user)");
        }
        else
        {
            Log.Unauthenticated(logger, scope.Path, target);
        }

        await ConnectionRefusal.RefuseAsync(scope, receive, send, httpStatus: authenticated ? 403 : 401, reason: authenticated ? "forbidden" : "unauthenticated").ConfigureAwait(false);
        return false;
    }

    /// <summary>The scope's user, or, when the policy names its own schemes, the user those schemes find (which then
    /// becomes the scope's user, as ASP.NET Core's authorization middleware replaces <c>HttpContext.User</c>).</summary>
    private static async ValueTask<ClaimsPrincipal> UserForAsync(ConnectionScope scope, AuthorizationPolicy policy)
    {
        if (policy.AuthenticationSchemes.Count == 0 || scope.GetHttpContext() is not { } context)
        {
            return scope.User;
        }

        var (merged, _) = await SchemeAuthentication.AuthenticateAsync(context, policy.AuthenticationSchemes).ConfigureAwait(false);
        var user = merged ?? new ClaimsPrincipal(new ClaimsIdentity());
        scope.SetUser(user);
        return user;
    }

    private static InvalidOperationException MissingAuthorization() => new(
        "Switchboard authorization needs ASP.NET Core's authorization services: call AddSwitchboard(...).AddAuthorization() (or services.AddAuthorization()).");

    private static partial class Log
    {
        [LoggerMessage(EventId = 5030, Level = LogLevel.Information, EventName = "ConnectionUnauthenticated",
            Message = "Refused a connection to {Path} ({Target}): it requires a signed-in user and the connection has none.")]
        public static partial void Unauthenticated(ILogger logger, string path, string target);

        [LoggerMessage(EventId = 5031, Level = LogLevel.Information, EventName = "ConnectionForbidden",
            Message = "Refused a connection to {Path} ({Target}): user {User} does not meet its authorization policy.")]
        public static partial void Forbidden(ILogger logger, string path, string target, string user);
    }
}
