using System.Text.Json;
using Switchboard;

// One instance per WebSocket; every socket of a room is in the room's group, and a message goes to the whole group.
public sealed class ChatConsumer : JsonWebSocketConsumer
{
    // Any room name maps to a valid group name: "lobby" gives "chat_lobby".
    private string RoomGroup => ChannelNames.ToGroupName($"chat_{Scope.GetRouteValue("room")}");

    // Joined when the socket connects, left when it closes.
    protected override IEnumerable<string> Groups => [RoomGroup];

    // A text frame {"message": "..."} from the browser: send it to everyone in the room, this socket included.
    protected override ValueTask OnJsonAsync(JsonElement content, CancellationToken cancellationToken) =>
        GroupSendAsync(RoomGroup, new LayerMessage("chat.message") { ["message"] = content.GetProperty("message").GetString() }, cancellationToken);

    // A "chat.message" from the room's group, once in each member: send it to this socket's browser.
    public ValueTask ChatMessageAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendJsonAsync(new ChatFrame(message.GetString("message")), cancellationToken);

    // Sent as {"message": "..."}.
    private sealed record ChatFrame(string Message);
}
