using System.Diagnostics;
using System.Net.WebSockets;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>A chat client that stops reading never slows the room: it is closed with 1008, the others keep chatting.</summary>
public class SlowChatClientTests(SmallQueueChatAppFixture app) : IClassFixture<SmallQueueChatAppFixture>
{
    [Fact]
    public async Task Chat_ClientThatStopsReading_ClosedWith1008_RoomKeepsChatting()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        using var stalled = await app.ConnectAsync($"/ws/chat/{room}/");
        using var talker = await app.ConnectAsync($"/ws/chat/{room}/");
        var big = $$"""{"message": "{{new string('x', 32 * 1024)}}"}""";

        // 1,000 messages of 32 KiB: far more than the kernel's and Kestrel's buffers hold for the stalled client.
        // The talker reads its own copies as it goes, so only the stalled client falls behind.
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 1000; i++)
        {
            await SendTextAsync(talker, big);
            Assert.StartsWith("{\"message\":\"xxx", await ReceiveTextAsync(talker));
        }

        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "the talker was never held up by the stalled client");
        await SendTextAsync(talker, """{"message": "still here"}""");
        Assert.Equal("""{"message":"still here"}""", await ReceiveTextAsync(talker));

        // The stalled client finally reads: what was already written, then the 1008 close.
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveCloseAsync(stalled));
    }
}
