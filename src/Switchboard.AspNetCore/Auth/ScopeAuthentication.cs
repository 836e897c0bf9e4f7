using System.Security.Claims;
using Switchboard.Sessions;

namespace Switchboard.Auth;

/// <summary>
/// Channels' <c>login(scope, user)</c> and <c>logout(scope)</c>: sign a user in or out from inside a consumer, updating
/// both the scope's <see cref="ConnectionScope.User"/> and the session, so that the next connection of the same browser
/// (through <see cref="AuthMiddleware"/>) has the same user. Requires <see cref="SessionMiddleware"/> (or
/// <see cref="AuthMiddlewareStack"/>).
/// </summary>
/// <remarks>As in Channels, the session is not saved by these helpers on a WebSocket: call
/// <c>Scope.GetSession().CommitAsync()</c> afterwards. An authentication cookie, if the app also uses one, cannot be
/// changed over an open socket; these helpers only touch the session.</remarks>
public static class ScopeAuthentication
{
    private static readonly ClaimsPrincipal s_anonymous = new(new ClaimsIdentity());

    /// <summary>Signs <paramref name="user"/> in: stores it in the session (first emptying a session that belonged to
    /// another user, as Channels flushes it) and makes it the scope's user.</summary>
    /// <param name="scope">The consumer's scope.</param>
    /// <param name="user">The user; it must be authenticated (its identity has an authentication type).</param>
    /// <exception cref="ArgumentException">The user is not authenticated.</exception>
    /// <exception cref="InvalidOperationException">The scope has no session.</exception>
    public static void Login(ConnectionScope scope, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new ArgumentException("Login needs an authenticated user: give its ClaimsIdentity an authentication type, for example new ClaimsIdentity(claims, \"Password\").", nameof(user));
        }

        var session = scope.GetSession();
        if (SessionUserStore.TryRead(session, out var previous) && SessionUserStore.IdOf(previous) != SessionUserStore.IdOf(user))
        {
            // Never let one user inherit what another user's session holds.
            session.Clear();
        }

        SessionUserStore.Write(session, user);
        scope.SetUser(user);
    }

    /// <summary>Signs the scope's user out: empties the session (Channels' <c>session.flush()</c>) and makes the scope's
    /// user anonymous.</summary>
    /// <param name="scope">The consumer's scope.</param>
    /// <exception cref="InvalidOperationException">The scope has no session.</exception>
    public static void Logout(ConnectionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        scope.GetSession().Clear();
        scope.SetUser(s_anonymous);
    }

    /// <summary>Signs a user in and saves the session (<see cref="Login"/>, then <c>CommitAsync</c>).</summary>
    /// <param name="scope">The consumer's scope.</param>
    /// <param name="user">The authenticated user.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the session is saved.</returns>
    public static Task LoginAsync(ConnectionScope scope, ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        Login(scope, user);
        return scope.GetSession().CommitAsync(cancellationToken);
    }

    /// <summary>Signs the user out and saves the session (<see cref="Logout"/>, then <c>CommitAsync</c>).</summary>
    /// <param name="scope">The consumer's scope.</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    /// <returns>A task that completes when the session is saved.</returns>
    public static Task LogoutAsync(ConnectionScope scope, CancellationToken cancellationToken = default)
    {
        Logout(scope);
        return scope.GetSession().CommitAsync(cancellationToken);
    }
}
