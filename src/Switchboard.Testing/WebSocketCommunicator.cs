using System.Text;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// Talks to an application as a WebSocket client would, in-process and without a server (Channels'
/// <c>WebsocketCommunicator</c>): <see cref="ConnectAsync"/>, send and receive text, bytes and JSON,
/// <see cref="ApplicationCommunicator.ReceiveNothingAsync"/>, <see cref="DisconnectAsync"/>.
/// </summary>
public class WebSocketCommunicator : ApplicationCommunicator
{
    /// <summary>Starts the application on a <c>websocket</c> scope for a path.</summary>
    /// <param name="application">The application, usually the root router.</param>
    /// <param name="path">The path with an optional query string, for example <c>/ws/chat/lobby/?token=x</c>.</param>
    /// <param name="services">The container, or <see langword="null"/> for a fresh one with the in-memory layer.
    /// Pass one container to several communicators to share a channel layer.</param>
    /// <param name="headers">Request headers, for example <c>origin</c>.</param>
    /// <param name="subprotocols">The subprotocols the client offers.</param>
    /// <param name="configureScope">Changes the scope before the application starts, for what a server would fill in
    /// from the connection: <c>s =&gt; s with { User = alice, Client = new IPEndPoint(address, 5000) }</c>. Cookies are a
    /// <c>cookie</c> header; the query string comes with <paramref name="path"/>.</param>
    public WebSocketCommunicator(
        IApplication application,
        string path,
        IServiceProvider? services = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        IEnumerable<string>? subprotocols = null,
        Func<ConnectionScope, ConnectionScope>? configureScope = null)
        : base(application, TestScopes.Configure(CreateScope(path, headers, subprotocols), configureScope), services)
    {
    }

    /// <summary>Opens the handshake and waits for the application to accept or refuse it.</summary>
    /// <param name="timeout">How long to wait; default <see cref="ApplicationCommunicator.DefaultTimeout"/>.</param>
    /// <returns>Accepted with the subprotocol, or refused with the close code (1000 when the application returned without one).</returns>
    public async Task<WebSocketConnectResult> ConnectAsync(TimeSpan? timeout = null)
    {
        await SendInputAsync(WebSocketConnectEvent.Instance).ConfigureAwait(false);
        ApplicationEvent reply;
        try
        {
            reply = await ReceiveOutputAsync(timeout).ConfigureAwait(false);
        }
        catch (InvalidOperationException) when (IsCompleted)
        {
            // The application returned without deciding: the server refuses the handshake.
            return new WebSocketConnectResult(false, null, WebSocketCloseCode.NormalClosure);
        }

        return reply switch
        {
            WebSocketAcceptEvent accept => new WebSocketConnectResult(true, accept.Subprotocol, null),
            WebSocketCloseEvent close => new WebSocketConnectResult(false, null, close.Code),
            _ => throw new InvalidOperationException($"Expected 'websocket.accept' or 'websocket.close', but the application sent {Describe(reply)}."),
        };
    }

    /// <summary>Sends a text message to the application.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    public ValueTask SendTextAsync(string text) => SendInputAsync(new WebSocketReceiveEvent(text));

    /// <summary>Sends a binary message to the application.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    public ValueTask SendBytesAsync(ReadOnlyMemory<byte> data) => SendInputAsync(new WebSocketReceiveEvent(data.ToArray(), isText: false));

    /// <summary>Serializes a value and sends it as a text message.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="content">The value.</param>
    /// <param name="options">Serializer options; default <see cref="JsonSerializerOptions.Web"/>.</param>
    /// <returns>A task that completes when the message is queued.</returns>
    public ValueTask SendJsonAsync<T>(T content, JsonSerializerOptions? options = null) =>
        SendInputAsync(new WebSocketReceiveEvent(JsonSerializer.SerializeToUtf8Bytes(content, options ?? JsonSerializerOptions.Web), isText: true));

    /// <summary>Waits for a text message from the application.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The text.</returns>
    /// <exception cref="InvalidOperationException">The application sent something else (a binary message, a close).</exception>
    public async Task<string> ReceiveTextAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveOutputAsync<WebSocketSendEvent>("a text message", timeout).ConfigureAwait(false);
        return message.IsText ? message.Text! : throw new InvalidOperationException($"Expected a text message, but the application sent {Describe(message)}.");
    }

    /// <summary>Waits for a binary message from the application.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="InvalidOperationException">The application sent something else.</exception>
    public async Task<byte[]> ReceiveBytesAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveOutputAsync<WebSocketSendEvent>("a binary message", timeout).ConfigureAwait(false);
        return !message.IsText ? message.Data.ToArray() : throw new InvalidOperationException($"Expected a binary message, but the application sent {Describe(message)}.");
    }

    /// <summary>Waits for a text message and parses it as JSON.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The parsed message.</returns>
    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? timeout = null)
    {
        using var document = JsonDocument.Parse(await ReceiveTextAsync(timeout).ConfigureAwait(false));
        return document.RootElement.Clone();
    }

    /// <summary>Waits for a text message and deserializes it.</summary>
    /// <typeparam name="T">The type to deserialize to.</typeparam>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="options">Serializer options; default <see cref="JsonSerializerOptions.Web"/>.</param>
    /// <returns>The value.</returns>
    public async Task<T?> ReceiveJsonAsync<T>(TimeSpan? timeout = null, JsonSerializerOptions? options = null) =>
        JsonSerializer.Deserialize<T>(await ReceiveTextAsync(timeout).ConfigureAwait(false), options ?? JsonSerializerOptions.Web);

    /// <summary>Waits for the application to close the socket.</summary>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The close event, with its code and reason.</returns>
    public Task<WebSocketCloseEvent> ReceiveCloseAsync(TimeSpan? timeout = null) =>
        ReceiveOutputAsync<WebSocketCloseEvent>("'websocket.close'", timeout);

    /// <summary>Tells the application the socket closed, then waits for it to return (Channels' <c>disconnect(code)</c>).</summary>
    /// <param name="code">The client's close code.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>A task that completes when the application has returned; its exception, if any, is rethrown.</returns>
    public async Task DisconnectAsync(int code = WebSocketCloseCode.NormalClosure, TimeSpan? timeout = null)
    {
        await SendInputAsync(new WebSocketDisconnectEvent(code)).ConfigureAwait(false);
        await WaitAsync(timeout).ConfigureAwait(false);
    }

    private static ConnectionScope CreateScope(string path, IEnumerable<KeyValuePair<string, string>>? headers, IEnumerable<string>? subprotocols) =>
        TestScopes.Create(ScopeTypes.WebSocket, "ws", "GET", path, headers) with { Subprotocols = subprotocols?.ToArray() ?? [] };
}
