using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.AspNetCore;

namespace Switchboard.Sessions;

/// <summary>
/// Puts the ASP.NET Core session of the handshake (or HTTP request) into the scope, loaded from its
/// <c>IDistributedCache</c> before the wrapped application runs (Channels' <c>SessionMiddleware</c>). Consumers read and
/// write it with <see cref="ConnectionScopeSessionExtensions.GetSession"/>; on a WebSocket nothing is saved by itself:
/// call <c>CommitAsync()</c> on it (Channels' <c>scope["session"].save()</c>).
/// </summary>
/// <remarks>
/// <para>The session comes from ASP.NET Core's session middleware, so the app needs <c>services.AddSession()</c> (with
/// a distributed cache) and <c>app.UseSession()</c> before <c>app.MapSwitchboard()</c>; the cookie, its protection and
/// the idle timeout are that middleware's.</para>
/// <para>The session key lives in a cookie, and cookies cannot be set over an open socket: writing to a session the
/// client has no cookie for yet then throws. Create the session over HTTP first (a login page does).</para>
/// <para>When an outer middleware already put a session in the scope, this one passes the scope on unchanged.</para>
/// </remarks>
public sealed class SessionMiddleware(IApplication inner) : ApplicationMiddleware(inner)
{
    /// <summary>Loads the session when the connection opens, then runs the wrapped application.</summary>
    /// <param name="scope">The connection's scope.</param>
    /// <param name="receive">Waits for the next event.</param>
    /// <param name="send">Sends an event to the server.</param>
    /// <returns>The wrapped application's task.</returns>
    /// <exception cref="InvalidOperationException">No ASP.NET Core session is set up for the request; the message names the fix.</exception>
    public override async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.TryGetSession(out _))
        {
            var session = scope.GetHttpContext()?.Features.Get<ISessionFeature>()?.Session
                ?? throw new InvalidOperationException(
                    $"SessionMiddleware found no session for {scope}: add services.AddDistributedMemoryCache() (or another IDistributedCache) and " +
                    "services.AddSession(), and call app.UseSession() before app.MapSwitchboard().");
            await session.LoadAsync(scope.ConnectionClosed).ConfigureAwait(false);
            scope.Items[ConnectionScopeSessionExtensions.SessionKey] = session;
        }

        await Inner.InvokeAsync(scope, receive, send).ConfigureAwait(false);
    }
}
