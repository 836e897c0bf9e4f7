namespace Switchboard;

/// <summary>
/// A WebSocket consumer (Channels' <c>AsyncWebsocketConsumer</c>). Override the hooks you need: <see cref="OnConnectAsync"/>
/// (default: accept), <see cref="OnTextAsync"/> and <see cref="OnBinaryAsync"/> (or <see cref="OnReceiveAsync"/> for both),
/// <see cref="OnDisconnectAsync"/>; add layer-message handlers such as <c>Task ChatMessageAsync(LayerMessage message)</c>.
/// </summary>
/// <remarks>
/// The groups in <see cref="Groups"/> are joined before <see cref="OnConnectAsync"/> runs and left when the socket
/// closes. A handler that throws closes the socket with 1011 at once (or refuses the handshake with HTTP 500), and the
/// disconnect logic (<see cref="OnDisconnectAsync"/>, leaving groups) still runs, exactly once.
/// </remarks>
public abstract class WebSocketConsumer : Consumer
{
    private bool _accepted;
    private bool _closed;
    private bool _disconnectHandled;
    private int _closeCode = WebSocketCloseCode.AbnormalClosure;
    private string[] _declaredGroups = [];

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

    /// <summary>Called once when the connection is gone (Channels' <c>disconnect(code)</c>), after the groups in
    /// <see cref="Groups"/> are left; also after an error or <see cref="Consumer.Stop"/>. The channel layer is still usable.</summary>
    /// <param name="closeCode">The close code: the client's, 1011 after a handler error, or 1006 when the connection dropped.</param>
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

    /// <summary>Closes the socket when the consumer stopped itself with it open (before accept: refuses the handshake), so
    /// that the client is not left waiting and the disconnect follows.</summary>
    /// <returns>A task that completes when the close is sent.</returns>
    protected override ValueTask OnStopRequestedAsync() => _closed ? ValueTask.CompletedTask : CloseAsync();

    /// <summary>Runs the disconnect logic if the socket did not report a disconnect (the consumer stopped itself or failed).</summary>
    /// <returns>A task that completes when clean-up is done.</returns>
    protected override async ValueTask OnStoppedAsync()
    {
        await OnStopRequestedAsync().ConfigureAwait(false);
        await RunDisconnectLogicAsync(_closeCode).ConfigureAwait(false);
    }

    private async ValueTask ConnectAsync(CancellationToken cancellationToken)
    {
        _declaredGroups = [.. Groups];
        foreach (var group in _declaredGroups)
        {
            await GroupAddAsync(group, cancellationToken).ConfigureAwait(false);
        }

        await OnConnectAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DisconnectAsync(int code)
    {
        _closed = true;
        Stop();
        await RunDisconnectLogicAsync(code).ConfigureAwait(false);
    }

    private async ValueTask RunDisconnectLogicAsync(int code)
    {
        if (_disconnectHandled)
        {
            return;
        }

        _disconnectHandled = true;
        try
        {
            foreach (var group in _declaredGroups)
            {
                await GroupDiscardAsync(group, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            // Even when the layer failed to drop a membership (it will expire), the consumer's own clean-up runs.
            await OnDisconnectAsync(code, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
