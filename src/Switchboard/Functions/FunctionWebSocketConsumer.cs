namespace Switchboard.Functions;

/// <summary>Serves one WebSocket with the routes of a <see cref="FunctionRouter"/>; the <see cref="WebSocketConsumer"/>
/// underneath gives it the same ordering, error handling and group clean-up as a class consumer.</summary>
internal sealed class FunctionWebSocketConsumer : WebSocketConsumer, IFunctionConnection
{
    private readonly FunctionDispatcher _dispatcher;

    public FunctionWebSocketConsumer(FunctionRouter router) => _dispatcher = new FunctionDispatcher(router, this);

    public string? ReplyChannelName => ChannelName;

    public IDictionary<string, object?> Session { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    ValueTask IFunctionConnection.AcceptAsync(string? subprotocol, CancellationToken cancellationToken) => AcceptAsync(subprotocol, cancellationToken);

    ValueTask IFunctionConnection.SendTextAsync(string text, CancellationToken cancellationToken) => SendAsync(text, cancellationToken);

    ValueTask IFunctionConnection.SendBytesAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => SendAsync(data, cancellationToken);

    ValueTask IFunctionConnection.CloseAsync(int code, CancellationToken cancellationToken) => CloseAsync(code, reason: null, cancellationToken);

    ValueTask IFunctionConnection.SendHeadersAsync(int status, IReadOnlyList<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("This reply channel belongs to a WebSocket: send text or bytes, not an HTTP response.");

    ValueTask IFunctionConnection.SendBodyAsync(ReadOnlyMemory<byte> body, bool moreBody, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("This reply channel belongs to a WebSocket: send text or bytes, not an HTTP response.");

    ValueTask IFunctionConnection.GroupAddAsync(string group, CancellationToken cancellationToken) => GroupAddAsync(group, cancellationToken);

    ValueTask IFunctionConnection.GroupDiscardAsync(string group, CancellationToken cancellationToken) => GroupDiscardAsync(group, cancellationToken);

    /// <summary>The <c>websocket.connect</c> route decides; without one the socket is accepted (as in 1.x).</summary>
    protected override ValueTask OnConnectAsync(CancellationToken cancellationToken) =>
        _dispatcher.TryInvoke(EventTypes.WebSocketConnect, WebSocketConnectEvent.Instance, Scope, ChannelLayer, cancellationToken, out var handled)
            ? handled
            : AcceptAsync(cancellationToken: cancellationToken);

    /// <summary>The <c>websocket.receive</c> route; without one the message is ignored, as a class consumer ignores it.</summary>
    protected override ValueTask OnReceiveAsync(WebSocketReceiveEvent message, CancellationToken cancellationToken) =>
        _dispatcher.TryInvoke(EventTypes.WebSocketReceive, message, Scope, ChannelLayer, cancellationToken, out var handled) ? handled : default;

    protected override ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken) =>
        _dispatcher.TryInvoke(EventTypes.WebSocketDisconnect, new WebSocketDisconnectEvent(closeCode), Scope, ChannelLayer, cancellationToken, out var handled)
            ? handled
            : default;

    protected override ValueTask DispatchAsync(ApplicationEvent message, CancellationToken cancellationToken) =>
        message is LayerMessage layerMessage
            ? _dispatcher.DispatchLayerMessageAsync(layerMessage, Scope, ChannelLayer, cancellationToken)
            : base.DispatchAsync(message, cancellationToken);
}
