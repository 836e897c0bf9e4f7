namespace Switchboard.Internal;

/// <summary>
/// Refuses a connection before any application runs: a WebSocket handshake gets HTTP 403 (a <c>websocket.close</c>
/// before accept, as daphne answers it), an HTTP request the given status. Shared by the middleware that guard
/// connections (origin, authorization, connection limits), so that every refusal looks the same on the wire.
/// </summary>
internal static class ConnectionRefusal
{
    public static async Task RefuseAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send, int httpStatus)
    {
        if (scope.Type == ScopeTypes.WebSocket)
        {
            // Take websocket.connect first, as a consumer would; a client that already left needs no answer.
            var first = await receive(CancellationToken.None).ConfigureAwait(false);
            if (first is WebSocketConnectEvent)
            {
                await send(new WebSocketCloseEvent(WebSocketCloseCode.PolicyViolation), CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        await send(new HttpResponseStartEvent(httpStatus, [new("content-length", "0")]), CancellationToken.None).ConfigureAwait(false);
        await send(new HttpResponseBodyEvent(ReadOnlyMemory<byte>.Empty), CancellationToken.None).ConfigureAwait(false);
    }
}
