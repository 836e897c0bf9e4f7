using System.Net.WebSockets;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>Members of a room keep receiving after others leave, however many leave and however they go.</summary>
public class RoomMembershipTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    [Theory]
    [InlineData(10)]
    [InlineData(40)]
    [InlineData(200)]
    public async Task Chat_ManyLeaveTheRoom_TheOthersStillReceiveEverything(int leavers)
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        var leaving = await ConnectManyAsync(room, leavers);
        var staying = await ConnectManyAsync(room, 3);

        foreach (var socket in leaving)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
            socket.Dispose();
        }

        // Rounds, so that some happen after the server has processed every leave (which trails the close handshake).
        await AssertEveryoneReceivesAsync(staying, rounds: 10);

        // A newcomer joins the same room: old and new members all receive.
        staying.Add(await app.ConnectAsync($"/ws/chat/{room}/"));
        await AssertEveryoneReceivesAsync(staying, rounds: 3);
        DisposeAll(staying);
    }

    [Fact]
    public async Task Chat_ManyDropWithoutClosing_TheOthersReceiveEveryMessageInOrder()
    {
        var room = "r" + Guid.NewGuid().ToString("N")[..8];
        var killed = await ConnectManyAsync(room, 200);
        var staying = await ConnectManyAsync(room, 6);

        // Abort: the TCP connections vanish without a close handshake, as when a client process is killed.
        foreach (var socket in killed)
        {
            socket.Abort();
            socket.Dispose();
        }

        await AssertEveryoneReceivesAsync(staying, rounds: 1000);
        DisposeAll(staying);
    }

    private async Task<List<ClientWebSocket>> ConnectManyAsync(string room, int count)
    {
        var sockets = new List<ClientWebSocket>(count);
        for (var i = 0; i < count; i++)
        {
            sockets.Add(await app.ConnectAsync($"/ws/chat/{room}/"));
        }

        return sockets;
    }

    /// <summary>The first socket sends numbered messages; every socket, the sender included, must receive each one, in order.</summary>
    private static async Task AssertEveryoneReceivesAsync(List<ClientWebSocket> sockets, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            var text = $"round {round} {Guid.NewGuid():N}";
            await SendTextAsync(sockets[0], $$"""{"message": "{{text}}"}""");
            for (var i = 0; i < sockets.Count; i++)
            {
                var received = await ReceiveTextAsync(sockets[i], TimeSpan.FromSeconds(5));
                Assert.True(
                    received == $$"""{"message":"{{text}}"}""",
                    $"Member {i} of {sockets.Count} got {received} in round {round}, expected '{text}'.");
            }
        }
    }

    private static void DisposeAll(List<ClientWebSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }
}
