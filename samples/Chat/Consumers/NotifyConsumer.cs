using Switchboard;

namespace Chat.Consumers;

/// <summary><c>ws /ws/notify/</c>: listen-only; every <c>notify</c> message to group <c>notifications</c> arrives as one text frame.</summary>
public sealed class NotifyConsumer : WebSocketConsumer
{
    public const string Group = "notifications";

    protected override IEnumerable<string> Groups => [Group];

    /// <summary>Handles <c>notify</c>: sends the payload text unchanged, encoded once for every listener.</summary>
    public ValueTask NotifyAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendAsync(message, "payload", cancellationToken);
}
