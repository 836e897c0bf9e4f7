namespace Switchboard.Internal;

/// <summary>
/// Refuses a connection before any application runs: a WebSocket handshake gets HTTP 403 (a <c>websocket.close</c>
/// before accept, as daphne answers it), an HTTP request the given status. Shared by the middleware that guard
/// connections (origin, authorization, connection limits), so that every refusal looks the same on the wire.
/// </summary>
internal static class ConnectionRefusal
{
    /// <summary>Refuses the connection.</summary>
    /// <param name="scope">The connection.</param>
    /// <param name="receive">Its receive.</param>
    /// <param name="send">Its send.</param>
    /// <param name="httpStatus">The status of an HTTP refusal (a WebSocket handshake always gets 403).</param>
    /// <param name="reason">Why, as a short snake_case word (<c>origin</c>, <c>connection_limit</c>, ...), which the
    /// interface server counts a refused handshake under (<c>switchboard.websocket.refused.handshakes</c>).</param>
    public static async Task RefuseAsync(ConnectionScope scope, ReceiveDelegate receive, SendDelegate send, int httpStatus, string reason)
    {
        if (scope.Type == ScopeTypes.WebSocket)
        {
            // Take websocket.connect first, as a consumer would; a client that already left needs no answer.
            var first = await receive(CancellationToken.None).ConfigureAwait(false);
            if (first is WebSocketConnectEvent)
            {
                await send(new WebSocketCloseEvent(WebSocketCloseCode.PolicyViolation) { RefusalReason = reason }, CancellationToken.None).ConfigureAwait(false);
            }

            return;
        }

        await send(new HttpResponseStartEvent(httpStatus, [new("content-length", "0")]), CancellationToken.None).ConfigureAwait(false);
        await send(new HttpResponseBodyEvent(ReadOnlyMemory<byte>.Empty), CancellationToken.None).ConfigureAwait(false);
    }
}
