using System.Text.Json;
using Switchboard;

namespace Chat.Consumers;

/// <summary>
/// <c>ws /ws/chat/{room}/</c>: the Channels tutorial's chat. Joins group <c>chat_{room}</c>; a text message
/// <c>{"message": "..."}</c> is broadcast to the room as <c>{"type": "chat.message", "message": ...}</c>, and every member,
/// the sender included, receives <c>{"message": "..."}</c>. Other keys are ignored.
/// </summary>
public sealed partial class ChatConsumer(ILogger<ChatConsumer> logger) : JsonWebSocketConsumer
{
    // Any room name from the URL maps to a valid group name; valid ones (chat_lobby) stay as they are, as in Django.
    private string RoomGroup => ChannelNames.ToGroupName($"chat_{Scope.GetRouteValue("room")}");

    protected override IEnumerable<string> Groups => [RoomGroup];

    protected override async ValueTask OnJsonAsync(JsonElement content, CancellationToken cancellationToken)
    {
        if (content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("message", out var message)
            || message.ValueKind != JsonValueKind.String)
        {
            LogIgnored(logger, RoomGroup);
            return;
        }

        await GroupSendAsync(RoomGroup, new LayerMessage("chat.message") { ["message"] = message.GetString() }, cancellationToken);
    }

    /// <summary>Handles <c>chat.message</c> from the room's group; the frame is serialized once for the whole room.</summary>
    public ValueTask ChatMessageAsync(LayerMessage message, CancellationToken cancellationToken) =>
        SendJsonAsync(message, static m => new ChatFrame(m.GetString("message")), cancellationToken);

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Ignored a frame without a string 'message' in {Group}.")]
    private static partial void LogIgnored(ILogger logger, string group);

    private sealed record ChatFrame(string Message);
}
