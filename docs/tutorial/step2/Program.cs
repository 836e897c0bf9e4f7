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

// Hands the WebSockets that the root application routes to Switchboard.
app.MapSwitchboard();

app.Run();
