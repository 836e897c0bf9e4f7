using System.Text.Json;
using Switchboard;

// One instance per WebSocket. This first version sends each message back to the browser that sent it.
public sealed class ChatConsumer : JsonWebSocketConsumer
{
    // A text frame {"message": "..."} from the browser.
    protected override ValueTask OnJsonAsync(JsonElement content, CancellationToken cancellationToken) =>
        SendJsonAsync(new ChatFrame(content.GetProperty("message").GetString()), cancellationToken);

    // Sent as {"message": "..."}.
    private sealed record ChatFrame(string? Message);
}
