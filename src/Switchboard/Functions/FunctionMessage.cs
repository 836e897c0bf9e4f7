namespace Switchboard.Functions;

/// <summary>
/// What a function consumer gets (1.x's <c>message</c>): the event's content, the route values, the connection's
/// <see cref="ReplyChannel"/> and <see cref="ChannelSession"/>, and the channel layer for groups and named channels.
/// </summary>
public sealed class FunctionMessage
{
    private readonly IFunctionConnection? _connection;
    private readonly IChannelLayer? _layer;
    private ReplyChannel? _replyChannel;

    internal FunctionMessage(
        ApplicationEvent content, IReadOnlyDictionary<string, object?> routeValues, ConnectionScope scope, IFunctionConnection? connection, IChannelLayer? layer)
    {
        Content = content;
        RouteValues = routeValues;
        Scope = scope;
        _connection = connection;
        _layer = layer;
    }

    /// <summary>Gets the event: a <see cref="WebSocketReceiveEvent"/>, a <see cref="LayerMessage"/>, an
    /// <see cref="HttpRequestEvent"/> with the whole body, a <see cref="WebSocketDisconnectEvent"/>...</summary>
    public ApplicationEvent Content { get; }

    /// <summary>Gets the event type, or for a worker the message's <c>type</c> (1.x routed on the channel name instead).</summary>
    public string Type => Content.Type;

    /// <summary>Gets the text of a <c>websocket.receive</c> text message (1.x's <c>message["text"]</c>), otherwise <see langword="null"/>.</summary>
    public string? Text => (Content as WebSocketReceiveEvent)?.Text;

    /// <summary>Gets the bytes of a <c>websocket.receive</c> binary message (1.x's <c>message["bytes"]</c>), otherwise <see langword="null"/>.</summary>
    public ReadOnlyMemory<byte>? Bytes => (Content as WebSocketReceiveEvent)?.Bytes;

    /// <summary>Gets the whole request body of an <c>http.request</c>, otherwise empty.</summary>
    public ReadOnlyMemory<byte> Body => Content is HttpRequestEvent request ? request.Body : default;

    /// <summary>Gets the close code of a <c>websocket.disconnect</c>, otherwise <see langword="null"/>.</summary>
    public int? CloseCode => (Content as WebSocketDisconnectEvent)?.Code;

    /// <summary>Gets the values captured by the routes' paths and outer routers, for example <c>room</c>.</summary>
    public IReadOnlyDictionary<string, object?> RouteValues { get; }

    /// <summary>Gets the connection's scope (a worker's <c>channel</c> scope for named channels).</summary>
    public ConnectionScope Scope { get; }

    /// <summary>Gets the connection's reply channel.</summary>
    /// <exception cref="InvalidOperationException">A worker message: it has no connection to reply to.</exception>
    public ReplyChannel ReplyChannel => _replyChannel ??= new ReplyChannel(RequireConnection("reply"));

    /// <summary>Gets state that lives from the connection's connect to its disconnect (1.x's <c>@channel_session</c>),
    /// shared by all of its handlers.</summary>
    /// <exception cref="InvalidOperationException">A worker message: it belongs to no connection.</exception>
    public IDictionary<string, object?> ChannelSession => RequireConnection("keep a channel session").Session;

    /// <summary>Gets the channel layer.</summary>
    /// <exception cref="InvalidOperationException">No channel layer is registered.</exception>
    public IChannelLayer Layer => _layer
        ?? throw new InvalidOperationException("No channel layer is registered (AddSwitchboard(...) adds the in-memory layer unless another is registered).");

    /// <summary>Gets a value of a layer message's content (1.x's <c>message["room"]</c>); for other events <c>text</c>,
    /// <c>bytes</c>, <c>path</c>, <c>method</c> and <c>code</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, or <see langword="null"/> when absent.</returns>
    public object? this[string key] => Content is LayerMessage message
        ? (message.TryGetValue(key, out var value) ? value : null)
        : key switch
        {
            "text" => Text,
            "bytes" => Bytes?.ToArray(),
            "path" => Scope.Path,
            "method" => Scope.Method,
            "code" => CloseCode,
            _ => null,
        };

    /// <summary>Returns a route value as a string, or <see langword="null"/>.</summary>
    /// <param name="name">The name, for example <c>room</c>.</param>
    /// <returns>The value.</returns>
    public string? GetRouteValue(string name) => RouteValues.TryGetValue(name, out var value) ? value?.ToString() : null;

    /// <summary>Adds the reply channel to a group (1.x's <c>Group(name).add(message.reply_channel)</c>); the membership
    /// is removed when the connection ends, however it ends.</summary>
    /// <param name="group">The group name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership is stored.</returns>
    public ValueTask GroupAddAsync(string group, CancellationToken cancellationToken = default) =>
        RequireConnection("join a group").GroupAddAsync(group, cancellationToken);

    /// <summary>Removes the reply channel from a group (1.x's <c>Group(name).discard(message.reply_channel)</c>).</summary>
    /// <param name="group">The group name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the membership is gone.</returns>
    public ValueTask GroupDiscardAsync(string group, CancellationToken cancellationToken = default) =>
        RequireConnection("leave a group").GroupDiscardAsync(group, cancellationToken);

    /// <summary>Sends a message to every member of a group (1.x's <c>Group(name).send(...)</c>).</summary>
    /// <param name="group">The group name.</param>
    /// <param name="message">The message; its <c>type</c> names the members' handler.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the layer has the message.</returns>
    public ValueTask GroupSendAsync(string group, LayerMessage message, CancellationToken cancellationToken = default) =>
        Layer.GroupSendAsync(group, message, cancellationToken);

    /// <summary>Sends a message to a named channel (1.x's <c>Channel("chat-messages").send(...)</c>), for a worker.</summary>
    /// <param name="channel">The channel name.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the layer has the message.</returns>
    public ValueTask SendAsync(string channel, LayerMessage message, CancellationToken cancellationToken = default) =>
        Layer.SendAsync(channel, message, cancellationToken);

    private IFunctionConnection RequireConnection(string action) => _connection
        ?? throw new InvalidOperationException($"A message on worker channel '{Scope.Channel}' has no connection to {action} for; send through the layer instead.");
}
