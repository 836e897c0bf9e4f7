using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Sessions;

/// <summary>The session of a scope (Channels' <c>scope["session"]</c>), put there by <see cref="SessionMiddleware"/>.</summary>
public static class ConnectionScopeSessionExtensions
{
    /// <summary>The <see cref="ConnectionScope.Items"/> key of the session.</summary>
    internal static readonly object SessionKey = typeof(ISession);

    /// <summary>Returns the scope's session: read it, write it, and save it with <c>CommitAsync()</c>.</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>The session, loaded at the handshake.</returns>
    /// <exception cref="InvalidOperationException">The application is not wrapped in <see cref="SessionMiddleware"/>.</exception>
    public static ISession GetSession(this ConnectionScope scope) =>
        scope.TryGetSession(out var session)
            ? session
            : throw new InvalidOperationException(
                $"No session in the scope of {scope}: wrap the application in SessionMiddlewareStack or AuthMiddlewareStack (Channels' SessionMiddleware).");

    /// <summary>Returns the scope's session when there is one.</summary>
    /// <param name="scope">The scope.</param>
    /// <param name="session">The session, or <see langword="null"/>.</param>
    /// <returns>Whether the scope has a session.</returns>
    public static bool TryGetSession(this ConnectionScope scope, [NotNullWhen(true)] out ISession? session)
    {
        ArgumentNullException.ThrowIfNull(scope);
        session = scope.Items.TryGetValue(SessionKey, out var value) ? value as ISession : null;
        return session is not null;
    }
}
