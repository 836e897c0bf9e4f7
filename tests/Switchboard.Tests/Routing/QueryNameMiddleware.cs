using System.Security.Claims;
using System.Web;

namespace Switchboard.Tests.Routing;

// The user named by ?name=... (a demo of the idea of Channels' QueryAuthMiddleware; for real logins use
// AuthMiddlewareStack). A WebSocket without a name is refused at the handshake, before the inner application runs.
public sealed class QueryNameMiddleware(IApplication inner) : ApplicationMiddleware(inner)
{
    public override async Task InvokeAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send)
    {
        var name = HttpUtility.ParseQueryString(scope.QueryString)["name"];
        if (string.IsNullOrEmpty(name))
        {
            // Take websocket.connect, then close without accepting: the client gets HTTP 403.
            if (await receive(CancellationToken.None) is WebSocketConnectEvent)
            {
                await send(new WebSocketCloseEvent(WebSocketCloseCode.PolicyViolation), CancellationToken.None);
            }

            return;
        }

        // The inner application (and every consumer under it) sees a copy of the scope with the user set.
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], authenticationType: "query"));
        await Inner.InvokeAsync(scope with { User = user }, receive, send);
    }
}
