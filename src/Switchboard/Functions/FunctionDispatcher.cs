namespace Switchboard.Functions;

/// <summary>
/// Finds and runs the handlers of one connection (both <see cref="FunctionWebSocketConsumer"/> and
/// <see cref="FunctionHttpConsumer"/>), and carries reply-channel messages sent through the layer to the client.
/// Called under the consumer's gate, so one event at a time.
/// </summary>
internal sealed class FunctionDispatcher(FunctionRouter router, IFunctionConnection connection)
{
    // The path and method never change during a connection, so each channel's route is looked up once.
    private readonly Dictionary<string, FunctionRouteMatch?> _matches = new(StringComparer.Ordinal);

    /// <summary>Runs the handler routed for <paramref name="channel"/>; false (and nothing runs) when there is none.</summary>
    public bool TryInvoke(string channel, ApplicationEvent content, ConnectionScope scope, IChannelLayer? layer, CancellationToken cancellationToken, out ValueTask handled)
    {
        if (!_matches.TryGetValue(channel, out var match))
        {
            _matches[channel] = match = router.Find(channel, scope);
        }

        if (match is null)
        {
            handled = default;
            return false;
        }

        handled = match.Handler(new FunctionMessage(content, match.Values, scope, connection, layer), cancellationToken);
        return true;
    }

    /// <summary>A message on the reply channel: a client event to carry (<c>websocket.send</c>, ...) or a routed type.</summary>
    public ValueTask DispatchLayerMessageAsync(LayerMessage message, ConnectionScope scope, IChannelLayer? layer, CancellationToken cancellationToken)
    {
        switch (message.Type)
        {
            case EventTypes.WebSocketSend:
                return message.TryGetValue("bytes", out var bytes) && bytes is byte[] data
                    ? connection.SendBytesAsync(data, cancellationToken)
                    : connection.SendTextAsync(message.GetString("text"), cancellationToken);
            case EventTypes.WebSocketAccept:
                return connection.AcceptAsync(message.TryGetValue("subprotocol", out var subprotocol) ? subprotocol as string : null, cancellationToken);
            case EventTypes.WebSocketClose:
                return connection.CloseAsync(
                    message.TryGetValue("code", out var code) && code is long value ? (int)value : WebSocketCloseCode.NormalClosure, cancellationToken);
            case EventTypes.HttpResponseStart:
                return connection.SendHeadersAsync((int)message.GetInt64("status"), HeadersOf(message), cancellationToken);
            case EventTypes.HttpResponseBody:
                return connection.SendBodyAsync(
                    message.TryGetValue("body", out var body) && body is byte[] chunk ? chunk : ReadOnlyMemory<byte>.Empty,
                    message.TryGetValue("more_body", out var more) && more is true,
                    cancellationToken);
        }

        if (TryInvoke(message.Type, message, scope, layer, cancellationToken, out var handled))
        {
            return handled;
        }

        throw new InvalidOperationException(
            $"No function route for layer message type '{message.Type}' on {scope}: add .Route(\"{message.Type}\", handler) to the "
            + "FunctionRouter that serves this path, or send websocket.send / http.response.body to a reply channel.");
    }

    private static List<KeyValuePair<string, string>>? HeadersOf(LayerMessage message)
    {
        if (!message.TryGetValue("headers", out var value) || value is not IReadOnlyDictionary<string, object?> map)
        {
            return null;
        }

        return [.. map.Select(static pair => new KeyValuePair<string, string>(pair.Key, pair.Value?.ToString() ?? ""))];
    }
}
