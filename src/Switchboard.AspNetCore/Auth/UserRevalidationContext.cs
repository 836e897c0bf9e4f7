using System.Security.Claims;

namespace Switchboard.Auth;

/// <summary>What <see cref="AuthMiddlewareOptions.RevalidateUser"/> gets for one re-check of an open connection.</summary>
/// <param name="Scope">The connection's scope; its <see cref="ConnectionScope.Services"/> are the connection's.</param>
/// <param name="User">The user being re-checked.</param>
/// <param name="CancellationToken">Fires when the connection goes away.</param>
public sealed record UserRevalidationContext(ConnectionScope Scope, ClaimsPrincipal User, CancellationToken CancellationToken);
