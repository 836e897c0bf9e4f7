using System.Buffers;
using System.Text;

namespace Switchboard;

/// <summary>
/// An HTTP consumer (Channels' <c>AsyncHttpConsumer</c>): the request body is collected and handed to
/// <see cref="HandleAsync"/>, which answers with <c>SendResponseAsync</c>, or streams with
/// <see cref="SendHeadersAsync"/> and <see cref="SendBodyAsync"/> (long-poll, server-sent events).
/// </summary>
/// <remarks>
/// The consumer ends when the response is complete or the client goes away; then the base class's end sequence runs
/// once: a response left open is completed, every group joined is left, and <see cref="OnDisconnectAsync"/> runs.
/// A response left open (<c>moreBody: true</c>) keeps the consumer alive, so layer-message handlers can finish it.
/// A handler that throws before the response started answers 500 and logs the exception.
/// </remarks>
public abstract class HttpConsumer : Consumer
{
    private ArrayBufferWriter<byte>? _body;
    private bool _responseStarted;
    private bool _responseComplete;

    /// <summary>Called once the whole request body has arrived (Channels' <c>handle(body)</c>).</summary>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Fires when the client goes away.</param>
    /// <returns>A task that completes when the request is handled.</returns>
    protected abstract ValueTask HandleAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    /// <summary>Called once when the response is complete or the client went away (Channels' <c>disconnect()</c>), after
    /// every group the consumer joined is left; the channel layer is still usable.</summary>
    /// <param name="cancellationToken">Not cancelled by the disconnect itself.</param>
    /// <returns>A task that completes when clean-up is done.</returns>
    protected virtual ValueTask OnDisconnectAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Starts the response (Channels' <c>send_headers</c>).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The headers, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the headers.</returns>
    protected async ValueTask SendHeadersAsync(int status = 200, IReadOnlyList<KeyValuePair<string, string>>? headers = null, CancellationToken cancellationToken = default)
    {
        if (_responseStarted)
        {
            throw new InvalidOperationException("The response has already started; headers can be sent once.");
        }

        _responseStarted = true;
        await SendEventAsync(new HttpResponseStartEvent(status, headers), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a chunk of the body (Channels' <c>send_body</c>); <paramref name="moreBody"/> false completes the response.</summary>
    /// <param name="body">The chunk.</param>
    /// <param name="moreBody">Whether more chunks follow.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the chunk.</returns>
    protected async ValueTask SendBodyAsync(ReadOnlyMemory<byte> body, bool moreBody = false, CancellationToken cancellationToken = default)
    {
        if (!_responseStarted)
        {
            throw new InvalidOperationException($"Call {nameof(SendHeadersAsync)} before sending the body.");
        }

        if (_responseComplete)
        {
            throw new InvalidOperationException("The response is already complete.");
        }

        _responseComplete = !moreBody;
        await SendEventAsync(new HttpResponseBodyEvent(body, moreBody), cancellationToken).ConfigureAwait(false);
        if (_responseComplete)
        {
            Stop();
        }
    }

    /// <summary>Sends a whole response (Channels' <c>send_response</c>).</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body.</param>
    /// <param name="headers">The headers, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the response.</returns>
    protected async ValueTask SendResponseAsync(int status, ReadOnlyMemory<byte> body, IReadOnlyList<KeyValuePair<string, string>>? headers = null, CancellationToken cancellationToken = default)
    {
        await SendHeadersAsync(status, headers, cancellationToken).ConfigureAwait(false);
        await SendBodyAsync(body, moreBody: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a whole text response encoded as UTF-8.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="text">The body text.</param>
    /// <param name="contentType">The content type; default <c>text/plain; charset=utf-8</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the response.</returns>
    protected ValueTask SendResponseAsync(int status, string text, string contentType = "text/plain; charset=utf-8", CancellationToken cancellationToken = default) =>
        SendResponseAsync(status, Encoding.UTF8.GetBytes(text), [new("content-type", contentType)], cancellationToken);

    /// <inheritdoc />
    protected override ValueTask DispatchAsync(ApplicationEvent message, CancellationToken cancellationToken) => message switch
    {
        HttpRequestEvent request => RequestAsync(request, cancellationToken),
        HttpDisconnectEvent => Disconnect(),
        _ => base.DispatchAsync(message, cancellationToken),
    };

    /// <summary>Answers 500 when no response has started, then stops.</summary>
    /// <param name="exception">What the handler threw.</param>
    /// <returns>A task that completes when the error response is sent.</returns>
    protected override async ValueTask OnErrorAsync(Exception exception)
    {
        Stop();
        if (!_responseStarted)
        {
            await SendResponseAsync(500, "Internal Server Error").ConfigureAwait(false);
        }
    }

    /// <summary>Completes a response left open (a stream or long-poll whose consumer stopped or failed) with an empty last
    /// chunk, so that the client is not left waiting and the server's <c>http.disconnect</c> follows.</summary>
    /// <returns>A task that completes when the response is complete.</returns>
    protected override ValueTask OnStopRequestedAsync() =>
        _responseStarted && !_responseComplete ? SendBodyAsync(ReadOnlyMemory<byte>.Empty) : ValueTask.CompletedTask;

    /// <summary>Calls <see cref="OnDisconnectAsync"/>; the end sequence runs this once, after the groups are left.</summary>
    /// <returns>A task that completes when clean-up is done.</returns>
    protected override ValueTask OnStoppedAsync() => OnDisconnectAsync(CancellationToken.None);

    private async ValueTask RequestAsync(HttpRequestEvent request, CancellationToken cancellationToken)
    {
        if (request.MoreBody || _body is not null)
        {
            _body ??= new ArrayBufferWriter<byte>();
            _body.Write(request.Body.Span);
        }

        if (!request.MoreBody)
        {
            await HandleAsync(_body?.WrittenMemory ?? request.Body, cancellationToken).ConfigureAwait(false);
        }
    }

    private ValueTask Disconnect()
    {
        // The client is gone: there is no response left to complete.
        _responseComplete = true;
        Stop();
        return ValueTask.CompletedTask;
    }
}
