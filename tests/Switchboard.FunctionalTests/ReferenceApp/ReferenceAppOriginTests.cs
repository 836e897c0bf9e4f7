using System.Net;
using System.Net.WebSockets;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>The reference app's WebSocket routes sit behind the allowed-hosts origin check, and its hosts behind host filtering.</summary>
public class ReferenceAppOriginTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    [Theory]
    [InlineData("/ws/chat/lobby/")]
    [InlineData("/ws/notify/")]
    [InlineData("/ws/echo/")]
    public async Task Handshake_ForeignOrigin_RefusedWith403(string path)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", "http://evil.example");

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(app.WsBase, path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Theory]
    [InlineData("/ws/chat/lobby/")]
    [InlineData("/ws/notify/")]
    public async Task Handshake_OwnOriginOrNone_Accepted(string path)
    {
        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", app.HttpBase.GetLeftPart(UriPartial.Authority));
        await own.ConnectAsync(new Uri(app.WsBase, path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        using var localhost = new ClientWebSocket();
        localhost.Options.SetRequestHeader("Origin", $"http://localhost:{app.HttpBase.Port}");
        await localhost.ConnectAsync(new Uri(app.WsBase, path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        using var none = await app.ConnectAsync(path);

        Assert.Equal(WebSocketState.Open, own.State);
        Assert.Equal(WebSocketState.Open, localhost.State);
        Assert.Equal(WebSocketState.Open, none.State);
    }

    [Fact]
    public async Task Handshake_ForeignOrigin_TheRoomNeverSeesTheRefusedClient()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        using var member = await app.ConnectAsync($"/ws/chat/{room}/");
        using var intruder = new ClientWebSocket();
        intruder.Options.SetRequestHeader("Origin", "https://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() => intruder.ConnectAsync(new Uri(app.WsBase, $"/ws/chat/{room}/"), CancellationToken.None));

        await SendTextAsync(member, """{"message": "still here"}""");

        Assert.Equal("""{"message":"still here"}""", await ReceiveTextAsync(member));
    }

    [Fact]
    public async Task Http_ForeignHostHeader_RefusedWith400_OwnHostServed()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/");
        foreign.Headers.Host = "evil.example";
        using var refused = await app.Http.SendAsync(foreign);
        using var own = new HttpRequestMessage(HttpMethod.Get, "/");
        own.Headers.Host = $"localhost:{app.HttpBase.Port}";
        using var served = await app.Http.SendAsync(own);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
