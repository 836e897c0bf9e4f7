using System.Net;
using System.Net.WebSockets;
using System.Text;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>Every endpoint of the reference app's contract (shared/ARCHITECTURE.md), over real Kestrel and ClientWebSocket.</summary>
public class ReferenceAppTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    private static readonly TimeSpan s_quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Index_ServesTheChatPage()
    {
        var html = await app.Http.GetStringAsync("/");
        Assert.Contains("id=\"room-name-input\"", html);

        var room = await app.Http.GetAsync("/chat/lobby/");
        Assert.Equal(HttpStatusCode.OK, room.StatusCode);
        Assert.Contains("/ws/chat/", await room.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Echo_TextBinaryAndEmptyFrames_EchoedWithTheirKind()
    {
        using var socket = await app.ConnectAsync("/ws/echo/");
        var frames = new (WebSocketMessageType Type, byte[] Data)[]
        {
            (WebSocketMessageType.Text, Encoding.UTF8.GetBytes("héllo ✓")),
            (WebSocketMessageType.Binary, [0, 1, 2, 255]),
            (WebSocketMessageType.Text, []),
            (WebSocketMessageType.Binary, []),
            (WebSocketMessageType.Text, Encoding.UTF8.GetBytes(new string('x', 200_000))),
        };

        foreach (var (type, data) in frames)
        {
            await socket.SendAsync(data, type, true, CancellationToken.None);
            var echo = await ReceiveAsync(socket);
            Assert.Equal(type, echo.Type);
            Assert.Equal(data, echo.Data);
        }
    }

    [Fact]
    public async Task Chat_MessageReachesEveryoneInTheRoomIncludingTheSender_AndNoOtherRoom()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        using var alice = await app.ConnectAsync($"/ws/chat/{room}/");
        using var bob = await app.ConnectAsync($"/ws/chat/{room}/");
        using var elsewhere = await app.ConnectAsync($"/ws/chat/{room}x/");

        await SendTextAsync(alice, """{"message": "hi \"bob\" ✓", "extra": [1, 2]}""");

        Assert.Equal("""{"message":"hi \"bob\" ✓"}""", await ReceiveTextAsync(alice));
        Assert.Equal("hi \"bob\" ✓", System.Text.Json.JsonDocument.Parse(await ReceiveTextAsync(bob)).RootElement.GetProperty("message").GetString());

        await SendTextAsync(bob, """{"message": ""}""");
        Assert.Equal("""{"message":""}""", await ReceiveTextAsync(alice));
        Assert.Equal("""{"message":""}""", await ReceiveTextAsync(bob));
        Assert.True(await ReceivesNothingAsync(elsewhere, s_quiet));
    }

    [Fact]
    public async Task Chat_FrameWithoutMessage_IgnoredAndTheSocketStaysOpen()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        using var alice = await app.ConnectAsync($"/ws/chat/{room}/");

        await SendTextAsync(alice, """{"text": "no message key"}""");
        await SendTextAsync(alice, """{"message": 5}""");
        await SendTextAsync(alice, """{"message": "after"}""");

        Assert.Equal("""{"message":"after"}""", await ReceiveTextAsync(alice));
    }

    [Theory]
    [InlineData("{\"message\": ")]
    [InlineData("{\"message\": \"\\ud800\"}")]
    public async Task Chat_MalformedJson_ClosesWith1007_OthersUnaffected(string frame)
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        using var bad = await app.ConnectAsync($"/ws/chat/{room}/");
        using var good = await app.ConnectAsync($"/ws/chat/{room}/");

        await SendTextAsync(bad, frame);

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await ReceiveCloseAsync(bad));
        await SendTextAsync(good, """{"message": "still works"}""");
        Assert.Equal("""{"message":"still works"}""", await ReceiveTextAsync(good));
    }

    [Fact]
    public async Task UnknownWebSocketPath_RefusedWith404()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(app.WsBase, "/ws/nowhere/"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Chat_InvalidRoomName_RefusedWith404()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(app.WsBase, "/ws/chat/bad%20room/"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Fact]
    public async Task Echo_OversizeMessage_ClosesWith1009_ServerStillServes()
    {
        using var socket = await app.ConnectAsync("/ws/echo/");

        // Over the 1 MiB default, sent in fragments so the server must stop assembling it.
        var chunk = new byte[256 * 1024];
        for (var i = 0; i < 5; i++)
        {
            try
            {
                await socket.SendAsync(chunk, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                break;
            }
        }

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await ReceiveCloseAsync(socket));
        using var next = await app.ConnectAsync("/ws/echo/");
        await SendTextAsync(next, "ok");
        Assert.Equal("ok", await ReceiveTextAsync(next));
    }

    [Fact]
    public async Task Notify_JsonBody_SentUnchangedToEveryListener()
    {
        using var first = await app.ConnectAsync("/ws/notify/");
        using var second = await app.ConnectAsync("/ws/notify/");
        const string body = """{"alert": "balance low",  "amount": 3.5}""";

        var response = await app.Http.PostAsync("/notify", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(body, await ReceiveTextAsync(first));
        Assert.Equal(body, await ReceiveTextAsync(second));
    }

    [Fact]
    public async Task Notify_BodyNotJson_400AndNothingSent()
    {
        using var listener = await app.ConnectAsync("/ws/notify/");

        var response = await app.Http.PostAsync("/notify", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(await ReceivesNothingAsync(listener, s_quiet));
    }

    [Fact]
    public async Task Notify_BodyOf64KiB_Accepted_OneByteMore_413AndNothingSent()
    {
        using var listener = await app.ConnectAsync("/ws/notify/");
        var atLimit = "\"" + new string('x', 64 * 1024 - 2) + "\"";
        var overLimit = "\"" + new string('x', 64 * 1024 - 1) + "\"";

        var accepted = await app.Http.PostAsync("/notify", new StringContent(atLimit, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(atLimit, await ReceiveTextAsync(listener));

        var refused = await app.Http.PostAsync("/notify", new StringContent(overLimit, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);

        // Without Content-Length (chunked) the limit holds too: 10 MB is refused without being read.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("\"" + new string('y', 10_000_000) + "\"")));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/notify") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        var refusedChunked = await app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refusedChunked.StatusCode);
        Assert.True(await ReceivesNothingAsync(listener, s_quiet));
    }

    [Fact]
    public async Task Notify_BodyNotUtf8_400AndNothingSent()
    {
        using var listener = await app.ConnectAsync("/ws/notify/");
        var content = new ByteArrayContent([(byte)'"', 0xC3, 0x28, (byte)'"']);
        content.Headers.ContentType = new("application/json");

        var response = await app.Http.PostAsync("/notify", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(await ReceivesNothingAsync(listener, s_quiet));
    }

    [Fact]
    public async Task Thumbnail_WorkerProcessesTheJobAndNotifiesListeners()
    {
        using var listener = await app.ConnectAsync("/ws/notify/");

        var response = await app.Http.PostAsync("/thumbnail?id=42", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("""{"thumbnail": 42}""", await ReceiveTextAsync(listener));
    }

    [Theory]
    [InlineData("/thumbnail")]
    [InlineData("/thumbnail?id=abc")]
    [InlineData("/thumbnail?id=1.5")]
    public async Task Thumbnail_WithoutIntegerId_400(string path)
    {
        var response = await app.Http.PostAsync(path, null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
