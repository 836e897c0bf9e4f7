namespace Switchboard.Security;

/// <summary>
/// Limits of a <see cref="ConnectionLimiter"/>: how many connections one user, and one client address, may hold open at
/// once through it. Every property binds from configuration; 0 means no limit.
/// </summary>
public sealed class ConnectionLimitOptions
{
    /// <summary>Gets or sets how many connections one signed-in user may have open at once (keyed by the user's
    /// <c>NameIdentifier</c> claim, else the name); anonymous connections are not counted per user. 0: no limit. Default 0.</summary>
    public int MaxConnectionsPerUser { get; set; }

    /// <summary>Gets or sets how many connections one client IP address may have open at once. 0: no limit. Default 0.
    /// Behind a proxy, forward the client's address first (ASP.NET Core's <c>UseForwardedHeaders()</c>), or every client
    /// shares the proxy's address.</summary>
    public int MaxConnectionsPerClientAddress { get; set; }
}
