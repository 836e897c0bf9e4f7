using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Switchboard.Testing;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>The reference app (samples/Chat) on real Kestrel, 127.0.0.1, a free port; one per test class.</summary>
public class ChatAppFixture : IAsyncLifetime
{
    private SwitchboardLiveServer? _server;

    public Uri HttpBase => Server.HttpBase;

    public Uri WsBase => Server.WebSocketBase;

    public HttpClient Http => Server.Http;

    /// <summary>Gets the running app (Switchboard.Testing's live server).</summary>
    public SwitchboardLiveServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() =>
        _server = await SwitchboardLiveServer.StartAsync(Chat.ChatServer.CreateApp(["--Logging:LogLevel:Default=Warning"], Configure));

    /// <summary>Changes the app before it is built; the reference app as shipped by default.</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task<ClientWebSocket> ConnectAsync(string path)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new Uri(WsBase, path), cts.Token);
        return socket;
    }

    public static async Task SendTextAsync(WebSocket socket, string text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>Reads one whole message (or the close), bounded.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        var (type, data) = await ReceiveAsync(socket, timeout);
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>True when nothing arrives within the window (the pending read is abandoned with the socket).</summary>
    public static async Task<bool> ReceivesNothingAsync(WebSocket socket, TimeSpan window)
    {
        var read = ReceiveAsync(socket, TimeSpan.FromSeconds(30));
        var finished = await Task.WhenAny(read, Task.Delay(window));
        return finished != read;
    }

    public static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(WebSocket socket)
    {
        for (var i = 0; i < 10_000; i++)
        {
            var (type, _) = await ReceiveAsync(socket);
            if (type == WebSocketMessageType.Close)
            {
                return socket.CloseStatus;
            }
        }

        throw new InvalidOperationException("No close frame after 10,000 messages.");
    }
}
