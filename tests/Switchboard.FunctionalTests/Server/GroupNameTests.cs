using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Switchboard.FunctionalTests.Infrastructure;
using Switchboard.Routing;

namespace Switchboard.FunctionalTests.Server;

/// <summary>The README's chat, whose route takes any room: rooms that are not valid group names (non-ASCII, long) work
/// through <see cref="ChannelNames.ToGroupName"/> instead of failing with 500.</summary>
public class GroupNameTests
{
    [Theory]
    [InlineData("caf%C3%A9")]
    [InlineData("%E6%97%A5%E6%9C%AC")]
    [InlineData("a%20b")]
    [InlineData("rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr")]
    public async Task Chat_RoomThatIsNotAValidGroupName_Works(string room)
    {
        await using var server = await KestrelTestServer.StartAsync(new ProtocolTypeRouter
        {
            ["websocket"] = new UrlRouter().Map<ReadmeChatConsumer>("ws/chat/{room}/"),
        });
        using var alice = await server.ConnectAsync($"/ws/chat/{room}/");
        using var bob = await server.ConnectAsync($"/ws/chat/{room}/");
        using var other = await server.ConnectAsync($"/ws/chat/{room}x/");

        await alice.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

        Assert.Equal("hello", await ReceiveTextAsync(alice));
        Assert.Equal("hello", await ReceiveTextAsync(bob));
        await alice.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).DefaultTimeout();
        await other.SendAsync(Encoding.UTF8.GetBytes("elsewhere"), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();
        Assert.Equal("elsewhere", await ReceiveTextAsync(other));
        Assert.DoesNotContain(server.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        var result = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    private sealed class ReadmeChatConsumer : WebSocketConsumer
    {
        private string Room => ChannelNames.ToGroupName($"chat_{Scope.GetRouteValue("room")}");

        protected override IEnumerable<string> Groups => [Room];

        protected override ValueTask OnTextAsync(string text, CancellationToken ct) =>
            GroupSendAsync(Room, new LayerMessage("chat.message") { ["text"] = text }, ct);

        public ValueTask ChatMessageAsync(LayerMessage message, CancellationToken ct) => SendAsync(message, "text", ct);
    }
}
