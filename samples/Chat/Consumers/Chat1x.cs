using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard;
using Switchboard.Functions;

namespace Chat.Consumers;

/// <summary>
/// <c>ws /ws/chat1x/{room}/</c>: the 2016/2017 articles' Channels 1.x chat, written as function consumers. It speaks the
/// frames of <c>/ws/chat/{room}/</c> and joins the same group <c>chat_{room}</c>, so the clients of both routes chat together.
/// </summary>
/// <remarks>
/// As in the articles, the socket's <c>ws_message</c> does not broadcast itself: it hands the message to the
/// <c>chat-messages</c> channel, whose worker (<c>msg_consumer</c>) broadcasts it to the room. Every server process runs
/// that worker in-process (1.x's <c>runserver</c> ran its workers too), so each message is broadcast exactly once.
/// </remarks>
public static class Chat1x
{
    /// <summary>The worker channel of the articles' <c>msg_consumer</c>.</summary>
    public const string MessagesChannel = "chat-messages";

    // The frames of ChatConsumer, byte for byte: {"message":"..."} with the same escaping.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The socket's routes; mounted under <c>ws/chat1x/{room}/</c>, which captures <c>room</c>.</summary>
    public static FunctionRouter WebSocket { get; } = new FunctionRouter()
        .Route(EventTypes.WebSocketConnect, WsAddAsync)
        .Route(EventTypes.WebSocketReceive, WsMessageAsync)
        .Route(EventTypes.WebSocketDisconnect, WsDisconnectAsync)
        .Route("chat.message", ChatMessageAsync);

    /// <summary>The worker's route on <see cref="MessagesChannel"/>.</summary>
    public static FunctionRouter Worker { get; } = new FunctionRouter()
        .Route(MessagesChannel, MsgConsumerAsync);

    /// <summary><c>ws_add</c>: remember the room in the channel session, join its group, accept.</summary>
    private static async ValueTask WsAddAsync(FunctionMessage message, CancellationToken cancellationToken)
    {
        var room = message.GetRouteValue("room")!;
        message.ChannelSession["room"] = room;
        await message.GroupAddAsync(Group(room), cancellationToken);
        await message.ReplyChannel.AcceptAsync(cancellationToken: cancellationToken);
    }

    /// <summary><c>ws_message</c>: <c>Channel("chat-messages").send({"room": ..., "message": ...})</c>; frames without a
    /// string <c>message</c> are ignored, as on <c>/ws/chat/</c>.</summary>
    private static ValueTask WsMessageAsync(FunctionMessage message, CancellationToken cancellationToken)
    {
        if (message.Text is not { } text || ReadMessage(text) is not { } chat)
        {
            return default;
        }

        var room = (string)message.ChannelSession["room"]!;
        return message.SendAsync(MessagesChannel, new LayerMessage("chat.submit") { ["room"] = room, ["message"] = chat }, cancellationToken);
    }

    /// <summary><c>ws_disconnect</c>: <c>Group("chat_" + room).discard(message.reply_channel)</c>.</summary>
    private static ValueTask WsDisconnectAsync(FunctionMessage message, CancellationToken cancellationToken) =>
        message.GroupDiscardAsync(Group((string)message.ChannelSession["room"]!), cancellationToken);

    /// <summary><c>msg_consumer</c>, the worker: broadcasts to the room in the contract's <c>chat.message</c> shape.</summary>
    private static ValueTask MsgConsumerAsync(FunctionMessage message, CancellationToken cancellationToken) =>
        message.GroupSendAsync(
            Group((string)message["room"]!), new LayerMessage("chat.message") { ["message"] = (string)message["message"]! }, cancellationToken);

    /// <summary>A room message reaches this socket: send the frame every chat client gets.</summary>
    private static ValueTask ChatMessageAsync(FunctionMessage message, CancellationToken cancellationToken) =>
        message.ReplyChannel.SendAsync(JsonSerializer.Serialize(new ChatFrame((string)message["message"]!), s_json), cancellationToken);

    // The group name of ChatConsumer, so long room names map to the same group on both routes.
    private static string Group(string room) => ChannelNames.ToGroupName($"chat_{room}");

    private static string? ReadMessage(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record ChatFrame(string Message);
}
