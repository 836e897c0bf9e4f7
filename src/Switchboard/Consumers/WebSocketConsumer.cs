namespace Switchboard;

/// <summary>
/// A WebSocket consumer (Channels' <c>AsyncWebsocketConsumer</c>). Override the hooks you need: <see cref="OnConnectAsync"/>
/// (default: accept), <see cref="OnTextAsync"/> and <see cref="OnBinaryAsync"/> (or <see cref="OnReceiveAsync"/> for both),
/// <see cref="OnDisconnectAsync"/>; add layer-message handlers such as <c>Task ChatMessageAsync(LayerMessage message)</c>.
/// </summary>
/// <remarks>
/// The groups in <see cref="Groups"/> are joined before <see cref="OnConnectAsync"/> runs. However the connection ends
/// (the client closes or vanishes, <see cref="CloseAsync"/>, <see cref="Consumer.Stop"/>, a handler error, dropped
/// messages, shutdown), the base class's end sequence runs once: the socket is closed if still open, every group the
/// consumer joined is left, then <see cref="OnDisconnectAsync"/> runs, exactly once. A handler that throws closes the
/// socket with 1011 at once (or refuses the handshake with HTTP 500); messages dropped for a consumer that could not
/// keep up close it with 1008 (<see cref="OnMessagesDroppedAsync"/>).
/// </remarks>
public abstract class WebSocketConsumer : Consumer
{
    /// <summary>The close reason sent when messages for the consumer were dropped (<see cref="OnMessagesDroppedAsync"/>).</summary>
    public const string MessagesDroppedCloseReason = "Messages were dropped; reconnect to resync";

    private bool _accepted;
    private bool _closed;
    private int _closeCode = WebSocketCloseCode.AbnormalClosure;

    /// <summary>Gets the groups this consumer joins on connect and leaves on disconnect (Channels' <c>groups</c> attribute).
    /// Read once, when the connection opens, so it may depend on <see cref="Consumer.Scope"/> (for example a room from the route).</summary>
    protected virtual IEnumerable<string> Groups => [];

    /// <summary>Gets a value indicating whether the handshake has been accepted.</summary>
    protected bool IsAccepted => _accepted;

    /// <summary>Called when a client opens the handshake, after <see cref="Groups"/> are joined. The handshake waits for
    /// this hook: call <see cref="AcceptAsync"/> to complete it or <see cref="CloseAsync"/> to refuse it (HTTP 403).
    /// The default accepts.</summary>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the decision is made.</returns>
    protected virtual ValueTask OnConnectAsync(CancellationToken cancellationToken) => AcceptAsync(cancellationToken: cancellationToken);

    /// <summary>Called for each message from the client. The default calls <see cref="OnTextAsync"/> or <see cref="OnBinaryAsync"/>;
    /// override it to handle both kinds without decoding text (an echo sends <see cref="WebSocketFrameEvent.Data"/> back).</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected virtual ValueTask OnReceiveAsync(WebSocketReceiveEvent message, CancellationToken cancellationToken) =>
        message.IsText ? OnTextAsync(message.Text!, cancellationToken) : OnBinaryAsync(message.Data, cancellationToken);

    /// <summary>Called for each text message from the client (Channels' <c>receive(text_data=...)</c>). The default ignores it.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected virtual ValueTask OnTextAsync(string text, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called for each binary message from the client (Channels' <c>receive(bytes_data=...)</c>). The default ignores it.</summary>
    /// <param name="data">The bytes; valid only until the hook returns unless copied.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected virtual ValueTask OnBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Called once when the connection is gone (Channels' <c>disconnect(code)</c>), however it ended, after
    /// every group the consumer joined (<see cref="Groups"/> and <see cref="Consumer.GroupAddAsync"/>) is left. The
    /// channel layer is still usable, for example to tell a room that someone left.</summary>
    /// <param name="closeCode">The close code: the client's, the one the consumer closed with (1011 after a handler error,
    /// 1008 after dropped messages), or 1006 when the connection dropped.</param>
    /// <param name="cancellationToken">Not cancelled by the disconnect itself.</param>
    /// <returns>A task that completes when clean-up is done.</returns>
    protected virtual ValueTask OnDisconnectAsync(int closeCode, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Accepts the handshake (Channels' <c>accept(subprotocol)</c>).</summary>
    /// <param name="subprotocol">One of the client's <see cref="ConnectionScope.Subprotocols"/>, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the handshake is complete.</returns>
    protected async ValueTask AcceptAsync(string? subprotocol = null, CancellationToken cancellationToken = default)
    {
        await SendEventAsync(new WebSocketAcceptEvent(subprotocol), cancellationToken).ConfigureAwait(false);
        _accepted = true;
    }

    /// <summary>Sends a text message (Channels' <c>send(text_data=...)</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    protected ValueTask SendAsync(string text, CancellationToken cancellationToken = default) =>
        SendEventAsync(new WebSocketSendEvent(text), cancellationToken);

    /// <summary>Sends a binary message (Channels' <c>send(bytes_data=...)</c>).</summary>
    /// <param name="data">The bytes; they must not change until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    protected ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendEventAsync(new WebSocketSendEvent(data, isText: false), cancellationToken);

    /// <summary>
    /// Sends the text (a string) or bytes (a <see cref="T:byte[]"/>) stored under <paramref name="key"/> in a received
    /// channel-layer message, as a text or binary message, encoding it once per message rather than once per receiver:
    /// every member of a group that gets <paramref name="message"/> sends the same frame. Use it in handlers of group
    /// messages: <c>SendAsync(message, "payload")</c>.
    /// </summary>
    /// <param name="message">The received (read-only) layer message.</param>
    /// <param name="key">The key of the value; a string literal, whose single instance also keys the cache.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    /// <exception cref="InvalidOperationException">The value is neither a string nor bytes.</exception>
    /// <exception cref="KeyNotFoundException">The message has no such key.</exception>
    protected ValueTask SendAsync(LayerMessage message, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(key);
        var frame = message.IsReadOnly ? message.GetOrAddDerived(key, static (m, k) => FrameOf(m, k), key) : FrameOf(message, key);
        return SendEventAsync(frame, cancellationToken);
    }

    /// <summary>Sends a message built elsewhere, for example the payload of a received message to echo it with its kind.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    protected ValueTask SendAsync(WebSocketSendEvent message, CancellationToken cancellationToken = default) =>
        SendEventAsync(message, cancellationToken);

    /// <summary>Closes the socket (Channels' <c>close(code)</c>); before accept, refuses the handshake with HTTP 403. The
    /// consumer keeps running until the client's close arrives as a disconnect.</summary>
    /// <param name="code">The close code (default 1000).</param>
    /// <param name="reason">An optional reason.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the close is sent.</returns>
    protected async ValueTask CloseAsync(int code = WebSocketCloseCode.NormalClosure, string? reason = null, CancellationToken cancellationToken = default)
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _closeCode = code;
        await SendEventAsync(new WebSocketCloseEvent(code, reason), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask DispatchAsync(ApplicationEvent message, CancellationToken cancellationToken) => message switch
    {
        WebSocketReceiveEvent receive => OnReceiveAsync(receive, cancellationToken),
        WebSocketConnectEvent => ConnectAsync(cancellationToken),
        WebSocketDisconnectEvent disconnect => DisconnectAsync(disconnect.Code),
        _ => base.DispatchAsync(message, cancellationToken),
    };

    /// <summary>Closes the socket with 1011 (or refuses the handshake with HTTP 500) and stops; the disconnect logic runs next.</summary>
    /// <param name="exception">What the handler threw.</param>
    /// <returns>A task that completes when the socket is closing.</returns>
    protected override async ValueTask OnErrorAsync(Exception exception)
    {
        Stop();
        await CloseAsync(WebSocketCloseCode.InternalServerError).ConfigureAwait(false);
    }

    /// <summary>Closes the socket with 1008 and a reason (<see cref="MessagesDroppedCloseReason"/>), so that the client
    /// knows it missed messages and reconnects to resync; the consumer stops.</summary>
    /// <param name="count">How many messages were lost.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the close is sent.</returns>
    protected override async ValueTask OnMessagesDroppedAsync(long count, string reason, CancellationToken cancellationToken)
    {
        await base.OnMessagesDroppedAsync(count, reason, cancellationToken).ConfigureAwait(false);
        await CloseAsync(WebSocketCloseCode.PolicyViolation, MessagesDroppedCloseReason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the socket when the consumer stopped itself with it open (before accept: refuses the handshake), so
    /// that the client is not left waiting and the disconnect follows.</summary>
    /// <returns>A task that completes when the close is sent.</returns>
    protected override ValueTask OnStopRequestedAsync() => _closed ? ValueTask.CompletedTask : CloseAsync();

    /// <summary>Calls <see cref="OnDisconnectAsync"/> with the close code; the end sequence runs this once, after the
    /// groups are left.</summary>
    /// <returns>A task that completes when the disconnect hook is done.</returns>
    protected override ValueTask OnStoppedAsync() => OnDisconnectAsync(_closeCode, CancellationToken.None);

    private static WebSocketSendEvent FrameOf(LayerMessage message, string key) => message[key] switch
    {
        string text => new WebSocketSendEvent(text),
        byte[] bytes => new WebSocketSendEvent(bytes, isText: false),
        var other => throw new InvalidOperationException(
            $"The '{key}' of a '{message.Type}' message is {LayerValue.Describe(other)}; a WebSocket message is sent from a string (text) or bytes (binary)."),
    };

    private async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        foreach (var group in Groups)
        {
            await GroupAddAsync(group, cancellationToken).ConfigureAwait(false);
        }

        await OnConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    private ValueTask DisconnectAsync(int code)
    {
        _closed = true;
        _closeCode = code;
        Stop();
        return ValueTask.CompletedTask;
    }
}
