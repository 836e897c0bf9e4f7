using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Auth;

/// <summary>Asks several ASP.NET Core authentication schemes about one request and merges the users they find, as ASP.NET
/// Core's policy evaluator does; shared by <see cref="AuthMiddleware"/> and the per-policy schemes of authorization.</summary>
internal static class SchemeAuthentication
{
    /// <summary>Returns the merged user (<see langword="null"/> when no scheme found one) and the earliest expiry.</summary>
    public static async Task<(ClaimsPrincipal? User, DateTimeOffset? Expires)> AuthenticateAsync(HttpContext context, IEnumerable<string> schemes)
    {
        ClaimsPrincipal? merged = null;
        DateTimeOffset? expires = null;
        foreach (var scheme in schemes)
        {
            // Cached per request by the handler: a scheme UseAuthentication() already ran is not run twice.
            var result = await context.AuthenticateAsync(scheme).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                continue;
            }

            merged ??= new ClaimsPrincipal();
            merged.AddIdentities(result.Principal.Identities);
            if ((result.Properties?.ExpiresUtc ?? ExpiryClaimOf(result.Principal)) is { } expiry && (expires is null || expiry < expires))
            {
                expires = expiry;
            }
        }

        return (merged, expires);
    }

    /// <summary>A token's <c>exp</c> claim (seconds since 1970), for handlers that do not report the expiry in the properties.</summary>
    private static DateTimeOffset? ExpiryClaimOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && seconds < 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
