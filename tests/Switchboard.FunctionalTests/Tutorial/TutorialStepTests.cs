using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Switchboard.FunctionalTests.Infrastructure;

namespace Switchboard.FunctionalTests.Tutorial;

/// <summary>
/// Each step of docs/tutorial.md, as a reader does it: <c>dotnet new web</c>, the step's files, a build with warnings as
/// errors, and the app run on real Kestrel; then what the page says the step does, over HTTP and ClientWebSocket.
/// </summary>
public class TutorialStepTests(TutorialFixture tutorial) : IClassFixture<TutorialFixture>
{
    [Fact]
    public void Template_DotnetNewWeb_IsTheProgramThePageStartsFrom()
    {
        var block = TutorialPageTests.TemplateBlock().Match(TutorialPageTests.Page());
        Assert.True(block.Success, "docs/tutorial.md does not show the Program.cs of dotnet new web.");
        Assert.Equal(TutorialPageTests.Normalize(tutorial.TemplateProgram), TutorialPageTests.Normalize(block.Groups["body"].Value));
    }

    [Fact]
    public async Task Step1_Index_ServesTheRoomPicker()
    {
        await using var app = await tutorial.StartStepAsync(1);

        var index = await app.Http.GetStringAsync("/");

        Assert.Contains("id=\"room-name-input\"", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step2_ChatSocket_EchoesToTheSenderOnly()
    {
        await using var app = await tutorial.StartStepAsync(2);
        var room = await app.Http.GetStringAsync("/chat/lobby/");
        Assert.Contains("id=\"chat-log\"", room, StringComparison.Ordinal);

        using var alice = await app.ConnectAsync("/ws/chat/lobby/");
        using var bob = await app.ConnectAsync("/ws/chat/lobby/");
        await alice.SendTextAsync("""{"message": "hello"}""");
        Assert.Equal("hello", await ReceiveChatAsync(alice));

        // Bob's first frame is his own echo: Alice's message went back to Alice only.
        await bob.SendTextAsync("""{"message": "anyone?"}""");
        Assert.Equal("anyone?", await ReceiveChatAsync(bob));
    }

    [Fact]
    public async Task Step3_Room_BroadcastsToEveryMemberAndNoOtherRoom()
    {
        await using var app = await tutorial.StartStepAsync(3);
        using var alice = await app.ConnectAsync("/ws/chat/lobby/");
        using var bob = await app.ConnectAsync("/ws/chat/lobby/");
        using var carol = await app.ConnectAsync("/ws/chat/kitchen/");

        await alice.SendTextAsync("""{"message": "hello"}""");

        Assert.Equal("hello", await ReceiveChatAsync(alice));
        Assert.Equal("hello", await ReceiveChatAsync(bob));

        // Carol's first frame is her own message: nothing of the lobby reached the kitchen.
        await carol.SendTextAsync("""{"message": "in the kitchen"}""");
        Assert.Equal("in the kitchen", await ReceiveChatAsync(carol));
    }

    [Fact]
    public async Task Step4_Announce_ReachesEverySocketInTheRoom()
    {
        await using var app = await tutorial.StartStepAsync(4);
        using var alice = await app.ConnectAsync("/ws/chat/lobby/");
        using var bob = await app.ConnectAsync("/ws/chat/lobby/");

        // A consumer joins its groups before it accepts, so both sockets are in the room once connected.
        var response = await app.Http.PostAsJsonAsync("/chat/lobby/announce", new { message = "closing at six" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("closing at six", await ReceiveChatAsync(alice));
        Assert.Equal("closing at six", await ReceiveChatAsync(bob));
    }

    private static async Task<string?> ReceiveChatAsync(WebSocket socket)
    {
        var frame = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, frame.Type);
        using var json = JsonDocument.Parse(frame.Data);
        return json.RootElement.GetProperty("message").GetString();
    }
}
