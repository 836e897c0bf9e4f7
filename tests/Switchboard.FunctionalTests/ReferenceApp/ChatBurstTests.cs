using System.Net.WebSockets;
using System.Text;
using static Switchboard.FunctionalTests.ReferenceApp.ChatAppFixture;

namespace Switchboard.FunctionalTests.ReferenceApp;

/// <summary>A reader that keeps reading never loses a message to a burst: the path from a group send to a socket is
/// bounded by bytes, not by a count of 100 (issue: 34,000 of 200,000 deliveries arrived before).</summary>
public class ChatBurstTests(ChatAppFixture app) : IClassFixture<ChatAppFixture>
{
    [Theory]
    [InlineData(2000)]
    [InlineData(10_000)]
    public async Task Chat_BurstBackToBack_EveryReaderGetsEveryMessageInOrder(int messages)
    {
        const int Readers = 100;
        var room = "burst" + Guid.NewGuid().ToString("N")[..8];
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i <= Readers; i++)
        {
            sockets.Add(await app.ConnectAsync($"/ws/chat/{room}/"));
        }

        // Every socket (the sender included) reads everything, concurrently with the burst.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var readers = sockets.Select(socket => ReadAllAsync(socket, messages, deadline.Token)).ToArray();

        // The sender does not wait for its echoes: each send is awaited, as ClientWebSocket requires, and nothing more.
        var sender = sockets[^1];
        for (var i = 0; i < messages; i++)
        {
            await sender.SendAsync(Encoding.UTF8.GetBytes($$"""{"message": "m{{i}}"}"""), WebSocketMessageType.Text, true, deadline.Token);
        }

        var results = await Task.WhenAll(readers);
        for (var i = 0; i < results.Length; i++)
        {
            Assert.True(results[i] is null, $"Reader {i}: {results[i]}");
        }

        foreach (var socket in sockets)
        {
            socket.Dispose();
        }
    }

    /// <summary>Reads <paramref name="count"/> chat messages; returns null when all arrived in order, else what went wrong.</summary>
    private static async Task<string?> ReadAllAsync(ClientWebSocket socket, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        for (var expected = 0; expected < count; expected++)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return $"closed with {socket.CloseStatus} '{socket.CloseStatusDescription}' after {expected} messages";
            }

            var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
            if (!result.EndOfMessage || text != $$"""{"message":"m{{expected}}"}""")
            {
                return $"message {expected} was {text}";
            }
        }

        return null;
    }
}
