using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Auth;

/// <summary>
/// Keeps the user that <see cref="ScopeAuthentication.LoginAsync"/> signed in inside the session (Channels stores the
/// user id, backend and hash under <c>_auth_user_id</c>...), serialized with ASP.NET Core's <see cref="TicketSerializer"/>.
/// </summary>
internal static class SessionUserStore
{
    public const string Key = "Switchboard.Auth.User";
    private const string Scheme = "Switchboard.Session";

    public static void Write(ISession session, ClaimsPrincipal user) =>
        session.Set(Key, TicketSerializer.Default.Serialize(new AuthenticationTicket(user, Scheme)));

    public static bool TryRead(ISession session, [NotNullWhen(true)] out ClaimsPrincipal? user)
    {
        user = null;
        if (!session.TryGetValue(Key, out var data))
        {
            return false;
        }

        try
        {
            user = TicketSerializer.Default.Deserialize(data)?.Principal;
        }
        catch (Exception e) when (e is FormatException or EndOfStreamException or ArgumentException)
        {
            // A value this version cannot read is treated as no login, never as a user.
            user = null;
        }

        return user is not null;
    }

    /// <summary>A stable key for the user, to tell whether a login replaces someone else.</summary>
    public static string? IdOf(ClaimsPrincipal user) =>
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity?.Name;
}
