namespace Switchboard.Functions;

/// <summary>
/// A connection's reply channel (1.x's <c>message.reply_channel</c>): sending to it reaches that client. The methods
/// send at once, from a handler or any other code that holds the object; any code, in any process, can also send
/// through the channel layer to <see cref="Name"/>, and those messages are carried in the connection's order:
/// <c>websocket.send</c> (<c>text</c> or <c>bytes</c>), <c>websocket.accept</c> (<c>subprotocol</c>),
/// <c>websocket.close</c> (<c>code</c>), <c>http.response.start</c> (<c>status</c>, <c>headers</c> as a map) and
/// <c>http.response.body</c> (<c>body</c>, <c>more_body</c>).
/// </summary>
public sealed class ReplyChannel
{
    private readonly IFunctionConnection _connection;

    internal ReplyChannel(IFunctionConnection connection) => _connection = connection;

    /// <summary>Gets the channel name (<c>specific.…!…</c>) to send to through the layer.</summary>
    /// <exception cref="InvalidOperationException">No channel layer is registered.</exception>
    public string Name => _connection.ReplyChannelName
        ?? throw new InvalidOperationException("The reply channel has no name: no channel layer is registered (AddSwitchboard(...) adds the in-memory layer).");

    /// <summary>Accepts the WebSocket handshake (1.x's <c>reply_channel.send({"accept": True})</c>).</summary>
    /// <param name="subprotocol">One of the client's subprotocols, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the handshake is complete.</returns>
    public ValueTask AcceptAsync(string? subprotocol = null, CancellationToken cancellationToken = default) =>
        _connection.AcceptAsync(subprotocol, cancellationToken);

    /// <summary>Sends a text message to the WebSocket (1.x's <c>reply_channel.send({"text": ...})</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    public ValueTask SendAsync(string text, CancellationToken cancellationToken = default) =>
        _connection.SendTextAsync(text, cancellationToken);

    /// <summary>Sends a binary message to the WebSocket (1.x's <c>{"bytes": ...}</c>).</summary>
    /// <param name="data">The bytes; they must not change until the returned task completes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _connection.SendBytesAsync(data, cancellationToken);

    /// <summary>Closes the WebSocket, or refuses the handshake before accept (1.x's <c>{"close": True}</c>).</summary>
    /// <param name="code">The close code; default 1000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the close is sent.</returns>
    public ValueTask CloseAsync(int code = WebSocketCloseCode.NormalClosure, CancellationToken cancellationToken = default) =>
        _connection.CloseAsync(code, cancellationToken);

    /// <summary>Starts an HTTP response; stream the body with <see cref="SendBodyAsync"/>.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The headers, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the headers.</returns>
    public ValueTask SendHeadersAsync(int status = 200, IReadOnlyList<KeyValuePair<string, string>>? headers = null, CancellationToken cancellationToken = default) =>
        _connection.SendHeadersAsync(status, headers, cancellationToken);

    /// <summary>Sends a chunk of the HTTP response body; <paramref name="moreBody"/> false completes the response.</summary>
    /// <param name="body">The chunk.</param>
    /// <param name="moreBody">Whether more chunks follow.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the chunk.</returns>
    public ValueTask SendBodyAsync(ReadOnlyMemory<byte> body, bool moreBody = false, CancellationToken cancellationToken = default) =>
        _connection.SendBodyAsync(body, moreBody, cancellationToken);

    /// <summary>Sends a whole HTTP response with a UTF-8 text body.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="text">The body.</param>
    /// <param name="contentType">The content type; default <c>text/plain; charset=utf-8</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the response.</returns>
    public async ValueTask SendResponseAsync(int status, string text, string contentType = "text/plain; charset=utf-8", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        await SendHeadersAsync(status, [new("content-type", contentType)], cancellationToken).ConfigureAwait(false);
        await SendBodyAsync(System.Text.Encoding.UTF8.GetBytes(text), moreBody: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns <see cref="Name"/>, or a placeholder without a layer.</summary>
    /// <returns>The channel name.</returns>
    public override string ToString() => _connection.ReplyChannelName ?? "(no channel layer)";
}
