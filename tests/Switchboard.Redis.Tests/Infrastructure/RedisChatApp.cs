using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Redis.Tests.Infrastructure;

/// <summary>The reference app (samples/Chat) on real Kestrel (127.0.0.1, a free port) with the Redis layer, selected
/// the way the README says (<c>--layer redis://...</c>), under a key prefix of the test's.</summary>
public sealed class RedisChatApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RedisChatApp(WebApplication app, Uri httpBase)
    {
        _app = app;
        HttpBase = httpBase;
        Http = new HttpClient { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri HttpBase { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app; with a layer that crosses processes the app runs no worker itself (workers are
    /// <c>runworker</c> processes), so <paramref name="thumbnailsWorker"/> adds the thumbnails worker in-process.</summary>
    public static async Task<RedisChatApp> StartAsync(string layerUrl, string prefix, bool thumbnailsWorker = false)
    {
        var app = Chat.ChatServer.CreateApp(
            ["--urls", "http://127.0.0.1:0", "--layer", layerUrl, "--Logging:LogLevel:Default=Warning"],
            builder =>
            {
                builder.Services.Configure<RedisChannelLayerOptions>(options => options.Prefix = prefix);
                if (thumbnailsWorker)
                {
                    // AddSwitchboard again only to reach AddWorker: the app and its (Redis) layer stay as registered.
                    builder.Services.AddSwitchboard(Chat.ChatServer.Application).AddWorker(Chat.Consumers.ThumbnailConsumer.Channel);
                }
            });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new RedisChatApp(app, new Uri(app.Urls.Single()));
    }

    public async Task<ClientWebSocket> ConnectAsync(string path)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri(new UriBuilder(HttpBase) { Scheme = "ws" }.Uri, path), timeout.Token);
        return socket;
    }

    public static async Task<string> ReceiveTextAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    public static async Task SendTextAsync(WebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
