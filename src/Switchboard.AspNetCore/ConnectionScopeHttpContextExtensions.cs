using Microsoft.AspNetCore.Http;

namespace Switchboard.AspNetCore;

/// <summary>Reaches the ASP.NET Core request behind a scope that Switchboard's server made (SignalR's <c>GetHttpContext()</c>).</summary>
public static class ConnectionScopeHttpContextExtensions
{
    /// <summary>Returns the request of the WebSocket handshake or HTTP request this scope serves, or <see langword="null"/>
    /// for scopes that no Kestrel request is behind (workers, test communicators).</summary>
    /// <param name="scope">The scope.</param>
    /// <returns>The context; use it only while the connection lasts, as ASP.NET Core reuses it afterwards.</returns>
    public static HttpContext? GetHttpContext(this ConnectionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Transport as HttpContext;
    }
}
