namespace Switchboard.Functions;

/// <summary>Serves one HTTP request with the routes of a <see cref="FunctionRouter"/>: <c>http.request</c> gets the
/// whole body; a handler may leave the response open and finish it from a later layer message (long-poll, streams).</summary>
internal sealed class FunctionHttpConsumer : HttpConsumer, IFunctionConnection
{
    private readonly FunctionDispatcher _dispatcher;

    public FunctionHttpConsumer(FunctionRouter router) => _dispatcher = new FunctionDispatcher(router, this);

    public string? ReplyChannelName => ChannelName;

    public IDictionary<string, object?> Session { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    ValueTask IFunctionConnection.AcceptAsync(string? subprotocol, CancellationToken cancellationToken) => throw NotWebSocket();

    ValueTask IFunctionConnection.SendTextAsync(string text, CancellationToken cancellationToken) => throw NotWebSocket();

    ValueTask IFunctionConnection.SendBytesAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => throw NotWebSocket();

    ValueTask IFunctionConnection.CloseAsync(int code, CancellationToken cancellationToken) => throw NotWebSocket();

    ValueTask IFunctionConnection.SendHeadersAsync(int status, IReadOnlyList<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken) =>
        SendHeadersAsync(status, headers, cancellationToken);

    ValueTask IFunctionConnection.SendBodyAsync(ReadOnlyMemory<byte> body, bool moreBody, CancellationToken cancellationToken) =>
        SendBodyAsync(body, moreBody, cancellationToken);

    ValueTask IFunctionConnection.GroupAddAsync(string group, CancellationToken cancellationToken) => GroupAddAsync(group, cancellationToken);

    ValueTask IFunctionConnection.GroupDiscardAsync(string group, CancellationToken cancellationToken) => GroupDiscardAsync(group, cancellationToken);

    protected override ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _dispatcher.TryInvoke(EventTypes.HttpRequest, new HttpRequestEvent(body), Scope, ChannelLayer, cancellationToken, out var handled)
            ? handled
            : throw new InvalidOperationException($"No http.request function route for {Scope}.");

    protected override ValueTask OnDisconnectAsync(CancellationToken cancellationToken) =>
        _dispatcher.TryInvoke(EventTypes.HttpDisconnect, HttpDisconnectEvent.Instance, Scope, ChannelLayer, cancellationToken, out var handled)
            ? handled
            : default;

    protected override ValueTask DispatchAsync(ApplicationEvent message, CancellationToken cancellationToken) =>
        message is LayerMessage layerMessage
            ? _dispatcher.DispatchLayerMessageAsync(layerMessage, Scope, ChannelLayer, cancellationToken)
            : base.DispatchAsync(message, cancellationToken);

    private static InvalidOperationException NotWebSocket() =>
        new("This reply channel belongs to an HTTP request: send a response (SendResponseAsync, SendHeadersAsync, SendBodyAsync), not WebSocket messages.");
}
