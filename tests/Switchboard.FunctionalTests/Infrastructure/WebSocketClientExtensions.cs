using System.Net.WebSockets;
using System.Text;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>Whole-message helpers for <see cref="WebSocket"/> clients in tests.</summary>
public static class WebSocketClientExtensions
{
    /// <summary>Reads one whole message; a close frame comes back as <see cref="WebSocketMessageType.Close"/> with no data.</summary>
    public static async Task<ReceivedMessage> ReceiveMessageAsync(this WebSocket socket)
    {
        var buffer = new byte[8192];
        using var data = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).DefaultTimeout();
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(WebSocketMessageType.Close, []);
            }

            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return new ReceivedMessage(result.MessageType, data.ToArray());
            }
        }
    }

    /// <summary>Reads messages until the close frame, and returns its status.</summary>
    public static async Task<WebSocketCloseStatus?> ReceiveCloseAsync(this WebSocket socket, int maxMessages = 10_000)
    {
        for (var i = 0; i < maxMessages; i++)
        {
            var message = await socket.ReceiveMessageAsync();
            if (message.Type == WebSocketMessageType.Close)
            {
                return socket.CloseStatus;
            }
        }

        throw new InvalidOperationException($"No close frame within {maxMessages} messages.");
    }

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).DefaultTimeout();

    public static Task SendBinaryAsync(this WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).DefaultTimeout();

    public sealed record ReceivedMessage(WebSocketMessageType Type, byte[] Data)
    {
        public string Text => Encoding.UTF8.GetString(Data);
    }
}
