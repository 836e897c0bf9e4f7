using Switchboard.Sessions;

namespace Switchboard.Auth;

/// <summary>
/// <see cref="CookieMiddleware"/>, then <see cref="SessionMiddleware"/>, then <see cref="AuthMiddleware"/> (Channels'
/// <c>AuthMiddlewareStack</c>): wrap the WebSocket router in it to give consumers the session and the user.
/// </summary>
/// <remarks>It needs ASP.NET Core sessions (<c>AddSession()</c>, <c>UseSession()</c>). An app that authenticates only
/// with tokens, and has no session, wraps its router in <see cref="AuthMiddleware"/> alone.</remarks>
/// <param name="inner">The application to authenticate for, usually the WebSocket <c>UrlRouter</c>.</param>
public sealed class AuthMiddlewareStack(IApplication inner)
    : ApplicationMiddleware(new CookieMiddleware(new SessionMiddleware(new AuthMiddleware(inner))));
