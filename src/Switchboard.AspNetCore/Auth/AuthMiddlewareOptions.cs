namespace Switchboard.Auth;

/// <summary>
/// Options of <see cref="AuthMiddleware"/>, read from the connection's services for each connection: configure them with
/// <c>services.Configure&lt;AuthMiddlewareOptions&gt;(...)</c>. Every property but <see cref="RevalidateUser"/> binds
/// from configuration.
/// </summary>
public sealed class AuthMiddlewareOptions
{
    /// <summary>Gets the ASP.NET Core authentication schemes to authenticate the handshake with, for example
    /// <c>Cookies</c> and <c>Bearer</c>; their users are merged. Empty (the default): the default authenticate scheme,
    /// when one is configured.</summary>
    public IList<string> AuthenticationSchemes { get; } = [];

    /// <summary>Gets or sets whether a WebSocket is closed with 1008 ("Authentication expired") when the authentication it
    /// was opened with expires: the cookie ticket's or the token's expiry (SignalR's <c>CloseOnAuthenticationExpiration</c>).
    /// Default <see langword="false"/>.</summary>
    public bool CloseOnAuthenticationExpiration { get; set; }

    /// <summary>Gets or sets how often <see cref="RevalidateUser"/> re-checks the user of an open WebSocket (Channels'
    /// advice to call <c>get_user</c> again in long-lived consumers). <see cref="TimeSpan.Zero"/> (the default) turns it off.</summary>
    public TimeSpan RevalidationInterval { get; set; }

    /// <summary>Gets or sets the re-check: it answers whether the user may stay connected (the account still exists, is not
    /// locked, its security stamp is unchanged...). When it answers <see langword="false"/> or throws, the socket is closed
    /// with 1008 ("Authentication revoked"). Required when <see cref="RevalidationInterval"/> is set.</summary>
    public Func<UserRevalidationContext, ValueTask<bool>>? RevalidateUser { get; set; }
}
