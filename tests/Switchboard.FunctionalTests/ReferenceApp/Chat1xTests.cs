using System.Net.WebSockets;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary><c>ws /ws/chat1x/{room}/</c>, the articles' 1.x chat as function consumers, chatting with <c>/ws/chat/{room}/</c>.</summary>
public class Chat1xTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    [Fact]
    public async Task BothRoutes_OneRoom_EveryClientGetsEachMessageExactlyOnce()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        var clients = new List<ClientWebSocket>
        {
            await app.ConnectAsync($"/ws/chat1x/{room}/"),
            await app.ConnectAsync($"/ws/chat/{room}/"),
            await app.ConnectAsync($"/ws/chat1x/{room}/"),
            await app.ConnectAsync($"/ws/chat/{room}/"),
        };

        for (var i = 0; i < clients.Count; i++)
        {
            await SendTextAsync(clients[i], $$"""{"message": "from {{i}}", "ignored": true}""");
        }

        var expected = Enumerable.Range(0, clients.Count).Select(i => $$"""{"message":"from {{i}}"}""").Order().ToList();
        foreach (var client in clients)
        {
            var received = new List<string>();
            for (var i = 0; i < clients.Count; i++)
            {
                received.Add(await ReceiveTextAsync(client));
            }

            Assert.Equal(expected, received.Order().ToList());
            Assert.True(await ReceivesNothingAsync(client, TimeSpan.FromMilliseconds(200)));
            client.Dispose();
        }
    }

    [Fact]
    public async Task Chat1x_FrameWithoutAStringMessage_IsIgnored_AndOrderPerSenderHolds()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        using var sender = await app.ConnectAsync($"/ws/chat1x/{room}/");
        using var listener = await app.ConnectAsync($"/ws/chat/{room}/");

        await SendTextAsync(sender, """{"message": 42}""");
        await SendTextAsync(sender, "not json");
        for (var i = 0; i < 50; i++)
        {
            await SendTextAsync(sender, $$"""{"message": "n{{i}}"}""");
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($$"""{"message":"n{{i}}"}""", await ReceiveTextAsync(listener));
        }
    }

    [Fact]
    public async Task Chat1x_RoomNameOutsideTheRoute_IsNotFound()
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(new Uri(app.WsBase, "/ws/chat1x/bad!room/"), CancellationToken.None));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, client.HttpStatusCode);
    }
}
