using Switchboard;
using Switchboard.Routing;

var builder = WebApplication.CreateBuilder(args);

// The root application (Django's ASGI_APPLICATION): WebSockets on ws/chat/{room}/ go to a new ChatConsumer each.
builder.Services.AddSwitchboard(new ProtocolTypeRouter
{
    ["websocket"] = new UrlRouter().Map<ChatConsumer>("ws/chat/{room}/"),
});

var app = builder.Build();

app.UseDefaultFiles();
app.UseStaticFiles();

// The room page; its script opens the WebSocket.
app.MapGet("/chat/{room}/", () => Results.File("room.html", "text/html"));

// Any code can reach the consumers through the channel layer: POST {"message": "..."} here, and the room sees it.
app.MapPost("/chat/{room}/announce", async (string room, Announcement announcement, IChannelLayer layer, CancellationToken cancellationToken) =>
{
    var message = new LayerMessage("chat.message") { ["message"] = announcement.Message };
    await layer.GroupSendAsync(ChatConsumer.GroupFor(room), message, cancellationToken);
    return Results.Accepted();
});

// Hands the WebSockets that the root application routes to Switchboard.
app.MapSwitchboard();

app.Run();

// The JSON body of POST /chat/{room}/announce.
internal sealed record Announcement(string Message);
