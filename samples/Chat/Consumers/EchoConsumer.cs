using Switchboard;

namespace Chat.Consumers;

/// <summary><c>ws /ws/echo/</c>: sends every message back with its kind, empty ones included.</summary>
public sealed class EchoConsumer : WebSocketConsumer
{
    protected override ValueTask OnReceiveAsync(WebSocketReceiveEvent message, CancellationToken cancellationToken) =>
        SendAsync(new WebSocketSendEvent(message.Data, message.IsText), cancellationToken);
}
