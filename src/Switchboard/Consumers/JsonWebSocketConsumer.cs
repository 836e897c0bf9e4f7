using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard;

/// <summary>
/// A WebSocket consumer that speaks JSON (Channels' <c>AsyncJsonWebsocketConsumer</c>) on System.Text.Json: each text
/// message is parsed and handed to <see cref="OnJsonAsync"/>; <see cref="SendJsonAsync{T}(T, CancellationToken)"/> serializes.
/// </summary>
/// <remarks>
/// A text message that is not valid JSON, or whose strings cannot be text (an escape such as <c>\ud800</c> that decodes to a
/// lone surrogate), closes the socket at once with 1007 (invalid payload) and a log line; a binary
/// message closes it with 1003 (unsupported data). Both end the consumer, and the disconnect logic runs.
/// </remarks>
public abstract class JsonWebSocketConsumer : WebSocketConsumer
{
    // Web defaults (camelCase), but without HTML-safe escaping: a WebSocket frame is never embedded in a page, so
    // '"' stays \" and non-ASCII text stays as it is, which keeps frames small and readable.
    private static readonly JsonSerializerOptions s_defaultOptions = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Gets the serializer options for <see cref="SendJsonAsync{T}(T, CancellationToken)"/>; the default is <see cref="JsonSerializerDefaults.Web"/>
    /// without HTML-safe escaping.</summary>
    protected virtual JsonSerializerOptions JsonOptions => s_defaultOptions;

    /// <summary>Called for each JSON message from the client (Channels' <c>receive_json(content)</c>).</summary>
    /// <param name="content">The parsed message; valid only until the hook returns (call <see cref="JsonElement.Clone"/> to keep it).</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected abstract ValueTask OnJsonAsync(JsonElement content, CancellationToken cancellationToken);

    /// <summary>Serializes a value and sends it as a text message (Channels' <c>send_json(content)</c>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="content">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    protected ValueTask SendJsonAsync<T>(T content, CancellationToken cancellationToken = default) =>
        SendAsync(new WebSocketSendEvent(EncodeJson(content), isText: true), cancellationToken);

    /// <summary>
    /// Sends the JSON of a value built from a channel-layer message, serializing it once per message rather than once per
    /// receiver: every member of a group that gets <paramref name="message"/> sends the same frame. Use it in handlers of
    /// group messages: <c>SendJsonAsync(message, static m =&gt; new { message = m.GetString("message") })</c>.
    /// </summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="message">The received (read-only) layer message.</param>
    /// <param name="content">Builds the value from the message alone; pass a static lambda, which also keys the cache.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the message is queued for the client.</returns>
    protected ValueTask SendJsonAsync<T>(LayerMessage message, Func<LayerMessage, T> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(content);
        if (!message.IsReadOnly)
        {
            return SendJsonAsync(content(message), cancellationToken);
        }

        // Keyed by the delegate: a static lambda is one instance per place in the code, so every receiver running this
        // handler shares the frame. (A subclass that changes the encoding must pass a lambda of its own.)
        // The factory is static and gets what it needs as its argument: a cached frame then costs no allocation per receiver.
        var frame = message.GetOrAddDerived(
            content, static (m, state) => new WebSocketSendEvent(state.Consumer.EncodeJson(state.Content(m)), isText: true), (Consumer: this, Content: content));
        return SendAsync(frame, cancellationToken);
    }

    /// <summary>Parses a text message (Channels' <c>decode_json</c>); override to parse differently.</summary>
    /// <param name="utf8">The message's UTF-8 bytes.</param>
    /// <returns>The parsed document; the caller disposes it.</returns>
    /// <exception cref="JsonException">The text is not valid JSON.</exception>
    protected virtual JsonDocument DecodeJson(ReadOnlyMemory<byte> utf8) => JsonDocument.Parse(utf8);

    /// <summary>Serializes a value to UTF-8 JSON (Channels' <c>encode_json</c>); override to serialize differently.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="content">The value.</param>
    /// <returns>The UTF-8 JSON.</returns>
    protected virtual byte[] EncodeJson<T>(T content) => JsonSerializer.SerializeToUtf8Bytes(content, JsonOptions);

    /// <summary>Parses the message and calls <see cref="OnJsonAsync"/>, or closes the socket for a message that is not JSON text.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Fires when the connection goes away.</param>
    /// <returns>A task that completes when the message is handled.</returns>
    protected sealed override async ValueTask OnReceiveAsync(WebSocketReceiveEvent message, CancellationToken cancellationToken)
    {
        if (!message.IsText)
        {
            JsonLog.BinaryMessage(FrameworkLogger, GetType().Name, Scope);
            await RejectAsync(WebSocketCloseCode.UnsupportedData, "JSON consumers accept text messages only").ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = DecodeJson(message.Data);
        }
        catch (JsonException ex)
        {
            JsonLog.InvalidJson(FrameworkLogger, GetType().Name, Scope, ex.Message);
            await RejectAsync(WebSocketCloseCode.InvalidPayloadData, "Invalid JSON").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            if (JsonText.HasInvalidString(message.Data.Span, document.RootElement))
            {
                JsonLog.InvalidJson(FrameworkLogger, GetType().Name, Scope, "a string escape decodes to a lone UTF-16 surrogate, which no text can hold");
                await RejectAsync(WebSocketCloseCode.InvalidPayloadData, "Invalid JSON text").ConfigureAwait(false);
                return;
            }

            await OnJsonAsync(document.RootElement, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask RejectAsync(int code, string reason)
    {
        Stop();
        await CloseAsync(code, reason).ConfigureAwait(false);
    }
}
