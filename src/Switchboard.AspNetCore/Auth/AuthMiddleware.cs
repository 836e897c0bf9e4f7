using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.AspNetCore;
using Switchboard.Sessions;

namespace Switchboard.Auth;

/// <summary>
/// Sets the scope's <see cref="ConnectionScope.User"/> at the handshake (Channels' <c>AuthMiddleware</c>): from ASP.NET
/// Core authentication (cookie authentication, JWT bearer, any scheme), and otherwise from the session when a consumer
/// signed the user in with <see cref="ScopeAuthentication.Login"/>; anonymous when neither knows the user.
/// </summary>
/// <remarks>
/// <para>Which schemes are asked is <see cref="AuthMiddlewareOptions.AuthenticationSchemes"/>; by default the default
/// authenticate scheme. Browsers cannot set headers on a WebSocket, so a bearer token comes in the <c>access_token</c>
/// query string: read it in <c>JwtBearerEvents.OnMessageReceived</c> (see docs/authentication.md).</para>
/// <para>This middleware only finds out who the user is; it refuses nobody. Require a user with <c>[Authorize]</c> on
/// the consumer or <c>RequireAuthorization()</c> on a route. For open WebSockets it can also close the socket with 1008
/// when the authentication expires, or when a periodic re-check fails (<see cref="AuthMiddlewareOptions"/>).</para>
/// </remarks>
public sealed partial class AuthMiddleware(IApplication inner) : ApplicationMiddleware(inner)
{
    private static readonly ClaimsPrincipal s_anonymous = new(new ClaimsIdentity());

    /// <summary>Authenticates the connection when it opens, runs the wrapped application with the user, and watches the
    /// authentication of an open WebSocket as the options ask.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>The wrapped application's task.</returns>
    /// <exception cref="OptionsValidationException">The options are inconsistent (a re-check interval without a re-check).</exception>
    public override async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var options = scope.Services.GetService<IOptions<AuthMiddlewareOptions>>()?.Value ?? new AuthMiddlewareOptions();
        Validate(options);

        var (user, expires) = await AuthenticateAsync(scope, options).ConfigureAwait(false);
        scope = scope with { User = user };

        var watching = scope.Type == ScopeTypes.WebSocket && user.Identity?.IsAuthenticated == true
            && ((options.CloseOnAuthenticationExpiration && expires is not null) || options.RevalidationInterval > TimeSpan.Zero);
        if (!watching)
        {
            await Inner.InvokeAsync(scope, receive, send).ConfigureAwait(false);
            return;
        }

        var logger = scope.Services.GetService<ILoggerFactory>()?.CreateLogger(SwitchboardDiagnostics.SecurityLogCategory) ?? NullLogger.Instance;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.Watching(logger, user.Identity?.Name ?? "(unnamed user)", scope.Path, DescribeWatch(options, expires));
        }

        using var watch = new AuthenticationWatch(
            scope, send, options, options.CloseOnAuthenticationExpiration ? expires : null, scope.Services.GetService<TimeProvider>() ?? TimeProvider.System, logger);
        await Inner.InvokeAsync(scope, receive, watch.Send).ConfigureAwait(false);
    }

    private static void Validate(AuthMiddlewareOptions options)
    {
        var result = AuthMiddlewareOptionsValidator.Instance.Validate(Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(AuthMiddlewareOptions), result.Failures);
        }
    }

    /// <summary>Asks the schemes, then the session; returns the user and when its authentication expires.</summary>
    private static async Task<(ClaimsPrincipal User, DateTimeOffset? Expires)> AuthenticateAsync(ConnectionScope scope, AuthMiddlewareOptions options)
    {
        if (scope.GetHttpContext() is { } context && await SchemesOfAsync(context, options).ConfigureAwait(false) is { Count: > 0 } schemes
            && await SchemeAuthentication.AuthenticateAsync(context, schemes).ConfigureAwait(false) is ({ } user, var expires))
        {
            return (user, expires);
        }

        if (scope.User.Identity?.IsAuthenticated == true)
        {
            return (scope.User, null);
        }

        return scope.TryGetSession(out var session) && SessionUserStore.TryRead(session, out var stored)
            ? (stored, null)
            : (s_anonymous, null);
    }

    private static async Task<IReadOnlyList<string>> SchemesOfAsync(HttpContext context, AuthMiddlewareOptions options)
    {
        if (options.AuthenticationSchemes.Count > 0)
        {
            return [.. options.AuthenticationSchemes];
        }

        var provider = context.RequestServices.GetService<IAuthenticationSchemeProvider>();
        var scheme = provider is null ? null : await provider.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false);
        return scheme is null ? [] : [scheme.Name];
    }

    /// <summary>What is watched, in words: only the checks that run, so that no absent expiry or zero interval is logged.</summary>
    private static string DescribeWatch(AuthMiddlewareOptions options, DateTimeOffset? expires)
    {
        var closes = options.CloseOnAuthenticationExpiration && expires is { } at
            ? "closed when it expires at " + at.ToString("O", CultureInfo.InvariantCulture)
            : null;
        var rechecked = options.RevalidationInterval > TimeSpan.Zero
            ? "re-checked every " + options.RevalidationInterval.ToString("c", CultureInfo.InvariantCulture)
            : null;
        return closes is not null && rechecked is not null ? closes + ", " + rechecked : closes ?? rechecked ?? "no checks";
    }
}
