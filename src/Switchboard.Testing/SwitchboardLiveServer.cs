using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing;

/// <summary>
/// Runs a whole application on real Kestrel, on 127.0.0.1 and a port the system picks, for end-to-end tests with real
/// clients (Channels' <c>ChannelsLiveServerTestCase</c>): <c>await using var server = await
/// SwitchboardLiveServer.StartAsync(app);</c>, then <see cref="HttpBase"/>, <see cref="WebSocketBase"/>,
/// <see cref="ConnectAsync"/>. Disposing it stops the application.
/// </summary>
public sealed class SwitchboardLiveServer : IAsyncDisposable
{
    /// <summary>How long starting and stopping may take before the test fails: 30 seconds.</summary>
    public static readonly TimeSpan StartStopTimeout = TimeSpan.FromSeconds(30);

    private SwitchboardLiveServer(WebApplication app, Uri httpBase)
    {
        App = app;
        HttpBase = httpBase;
        WebSocketBase = new UriBuilder(httpBase) { Scheme = httpBase.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        Http = new HttpClient { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Gets the running application, for example to resolve its services.</summary>
    public WebApplication App { get; }

    /// <summary>Gets the base address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri HttpBase { get; }

    /// <summary>Gets the base address for WebSockets, such as <c>ws://127.0.0.1:41234/</c>.</summary>
    public Uri WebSocketBase { get; }

    /// <summary>Gets an <see cref="HttpClient"/> with <see cref="HttpBase"/> as its base address and a 10 s timeout.</summary>
    public HttpClient Http { get; }

    /// <summary>Starts a built, not yet started application on 127.0.0.1 and a free port (any URLs it had are replaced).</summary>
    /// <param name="app">The application, for example the result of the app's own <c>CreateApp(args)</c>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="TimeoutException">The application did not start within <see cref="StartStopTimeout"/>.</exception>
    public static async Task<SwitchboardLiveServer> StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Urls.Clear();
        app.Urls.Add("http://127.0.0.1:0");
        await app.StartAsync(cancellationToken).WaitAsync(StartStopTimeout, cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The application started without an address; is it hosted on Kestrel?");
        return new SwitchboardLiveServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Opens a WebSocket to a path of the server. A refused handshake throws <see cref="WebSocketException"/>; to
    /// check its HTTP status, connect a <see cref="ClientWebSocket"/> of your own with <c>CollectHttpResponseDetails</c>.</summary>
    /// <param name="pathAndQuery">The path, for example <c>/ws/chat/lobby/</c>.</param>
    /// <param name="configure">Sets client options (headers, subprotocols) before connecting.</param>
    /// <param name="cancellationToken">Cancels the handshake; it is also bounded by 10 seconds.</param>
    /// <returns>The open socket; dispose it.</returns>
    public async Task<ClientWebSocket> ConnectAsync(string pathAndQuery, Action<ClientWebSocketOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(new Uri(WebSocketBase, pathAndQuery.TrimStart('/')), timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>Stops the application (bounded by <see cref="StartStopTimeout"/>) and releases it.</summary>
    /// <returns>A task that completes when it is stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync().WaitAsync(StartStopTimeout).ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
