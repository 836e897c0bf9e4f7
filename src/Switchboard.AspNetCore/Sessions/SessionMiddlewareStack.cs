namespace Switchboard.Sessions;

/// <summary>
/// <see cref="CookieMiddleware"/> around <see cref="SessionMiddleware"/> (Channels' <c>SessionMiddlewareStack</c>):
/// wrap an application in it to give its consumers the session.
/// </summary>
/// <param name="inner">The application to give the session to, usually the WebSocket <c>UrlRouter</c>.</param>
public sealed class SessionMiddlewareStack(IApplication inner) : ApplicationMiddleware(new CookieMiddleware(new SessionMiddleware(inner)));
