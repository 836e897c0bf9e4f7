using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.AspNetCore;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// A real Kestrel on 127.0.0.1 and a port the OS picks, built as a <see cref="WebApplication"/>: start it, talk to it
/// with <see cref="ClientWebSocket"/> or <see cref="HttpClient"/>, dispose it.
/// </summary>
public sealed class KestrelTestServer : IAsyncDisposable
{
    private bool _stopped;

    private KestrelTestServer(WebApplication app, TestLogSink logs, Uri baseAddress)
    {
        App = app;
        Logs = logs;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    /// <summary>Every log entry the host wrote, from Debug up.</summary>
    public TestLogSink Logs { get; }

    /// <summary>For example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts a server configured by the two callbacks (services first, then the pipeline).</summary>
    public static async Task<KestrelTestServer> StartAsync(Action<WebApplicationBuilder>? configureBuilder, Action<WebApplication> configureApp)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0").UseSockets(sockets =>
        {
            // Accepted sockets inherit the listener's buffer sizes. A fixed 64 KiB send buffer (the kernel would grow it
            // to megabytes) keeps how much a client that stops reading can absorb small and the same on every machine,
            // so that tests of the server's outbound queue see their backlog build after a few kilobytes.
            sockets.CreateBoundListenSocket = static endpoint =>
            {
                var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = 64 * 1024;
                return socket;
            };
        });
        var logs = new TestLogSink();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);

        // A test that hangs the host's stop fails fast rather than after the 30 s default.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        configureBuilder?.Invoke(builder);

        var app = builder.Build();
        configureApp(app);
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new KestrelTestServer(app, logs, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Starts a server whose root application is <paramref name="application"/>, mapped with <c>MapSwitchboard()</c>.</summary>
    public static Task<KestrelTestServer> StartAsync(
        IApplication application,
        Action<SwitchboardServerOptions>? configureOptions = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null) =>
        StartAsync(
            builder =>
            {
                var switchboard = builder.Services.AddSwitchboard(application);
                if (configureOptions is not null)
                {
                    switchboard.ConfigureServer(configureOptions);
                }

                configureBuilder?.Invoke(builder);
            },
            app =>
            {
                configureApp?.Invoke(app);
                app.MapSwitchboard();
            });

    public Uri HttpUri(string pathAndQuery) => new(BaseAddress, pathAndQuery.TrimStart('/'));

    public Uri WebSocketUri(string pathAndQuery) => new(HttpUri(pathAndQuery).ToString().Replace("http://", "ws://", StringComparison.Ordinal));

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TaskTimeoutExtensions.Timeout };

    /// <summary>Opens a WebSocket; the handshake's HTTP status is kept on failure (<see cref="ClientWebSocket.HttpStatusCode"/>).</summary>
    public async Task<ClientWebSocket> ConnectAsync(string pathAndQuery, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = CreateWebSocketClient(configure);
        await client.ConnectAsync(WebSocketUri(pathAndQuery), CancellationToken.None).DefaultTimeout();
        return client;
    }

    /// <summary>
    /// Opens a WebSocket whose TCP receive buffer is small, so that when the test reads slowly (or not yet) the server's
    /// writes are held back after a few kilobytes instead of the megabytes the kernel would otherwise absorb.
    /// </summary>
    /// <param name="pathAndQuery">The path.</param>
    /// <param name="http2">Whether to connect over HTTP/2 (extended CONNECT); the server must listen with HTTP/2.</param>
    public async Task<ClientWebSocket> ConnectWithSmallReceiveBufferAsync(string pathAndQuery, bool http2 = false)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = static async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = CreateWebSocketClient(options =>
        {
            if (http2)
            {
                options.HttpVersion = HttpVersion.Version20;
                options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            }
        });

        // The invoker goes with the client: ClientWebSocket does not dispose it, and it owns only this connection.
        await client.ConnectAsync(WebSocketUri(pathAndQuery), new HttpMessageInvoker(handler, disposeHandler: true), CancellationToken.None).DefaultTimeout();
        return client;
    }

    /// <summary>Attempts a handshake that the server should refuse, and returns the HTTP status it answered with.</summary>
    public async Task<int> ConnectExpectingRefusalAsync(string pathAndQuery, Action<ClientWebSocketOptions>? configure = null)
    {
        using var client = CreateWebSocketClient(configure);
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(WebSocketUri(pathAndQuery), CancellationToken.None).DefaultTimeout());
        return (int)client.HttpStatusCode;
    }

    /// <summary>Stops the host (the shutdown path: ApplicationStopping, then Kestrel drains the requests).</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await App.StopAsync().DefaultTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        await App.DisposeAsync();
    }

    private static ClientWebSocket CreateWebSocketClient(Action<ClientWebSocketOptions>? configure)
    {
        var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(client.Options);
        return client;
    }
}
