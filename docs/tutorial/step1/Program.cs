var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

// wwwroot/index.html at "/": the page that picks a room.
app.UseDefaultFiles();
app.UseStaticFiles();

app.Run();
