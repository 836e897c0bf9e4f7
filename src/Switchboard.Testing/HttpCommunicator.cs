using System.Buffers;

namespace Switchboard.Testing;

/// <summary>
/// Sends one HTTP request to an application in-process and collects the response (Channels' <c>HttpCommunicator</c>).
/// For whole responses; test streaming responses with <see cref="ApplicationCommunicator.ReceiveOutputAsync"/>.
/// </summary>
public class HttpCommunicator : ApplicationCommunicator
{
    private readonly ReadOnlyMemory<byte> _body;

    /// <summary>Starts the application on an <c>http</c> scope.</summary>
    /// <param name="application">The application.</param>
    /// <param name="method">The HTTP method, for example <c>POST</c>.</param>
    /// <param name="path">The path with an optional query string.</param>
    /// <param name="body">The request body.</param>
    /// <param name="headers">Request headers.</param>
    /// <param name="services">The container, or <see langword="null"/> for a fresh one with the in-memory layer.</param>
    /// <param name="configureScope">Changes the scope before the application starts (user, client address, ...):
    /// <c>s =&gt; s with { User = alice }</c>.</param>
    public HttpCommunicator(
        IApplication application,
        string method,
        string path,
        ReadOnlyMemory<byte> body = default,
        IEnumerable<KeyValuePair<string, string>>? headers = null,
        IServiceProvider? services = null,
        Func<ConnectionScope, ConnectionScope>? configureScope = null)
        : base(application, TestScopes.Configure(CreateScope(method, path, headers), configureScope), services)
    {
        _body = body;
    }

    /// <summary>Sends the request and waits for the whole response (Channels' <c>get_response</c>), then tells the
    /// application the exchange is over.</summary>
    /// <param name="timeout">How long to wait for each part of the response.</param>
    /// <returns>The response.</returns>
    /// <exception cref="InvalidOperationException">The application sent events out of order.</exception>
    public async Task<HttpCommunicatorResponse> GetResponseAsync(TimeSpan? timeout = null)
    {
        await SendInputAsync(new HttpRequestEvent(_body, moreBody: false)).ConfigureAwait(false);
        var start = await ReceiveOutputAsync<HttpResponseStartEvent>("'http.response.start'", timeout).ConfigureAwait(false);
        var body = new ArrayBufferWriter<byte>();
        HttpResponseBodyEvent chunk;
        do
        {
            chunk = await ReceiveOutputAsync<HttpResponseBodyEvent>("'http.response.body'", timeout).ConfigureAwait(false);
            body.Write(chunk.Body.Span);
        }
        while (chunk.MoreBody);

        await SendInputAsync(HttpDisconnectEvent.Instance).ConfigureAwait(false);
        return new HttpCommunicatorResponse(start.Status, start.Headers, body.WrittenSpan.ToArray());
    }

    private static ConnectionScope CreateScope(string method, string path, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        return TestScopes.Create(ScopeTypes.Http, "http", method.ToUpperInvariant(), path, headers);
    }
}
