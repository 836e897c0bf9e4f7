using System.Reflection;
using System.Text.Json;
using Chat.Consumers;
using Switchboard;
using Switchboard.CommandLine;
using Switchboard.Routing;

namespace Chat;

/// <summary>The reference application: every endpoint of the contract in ARCHITECTURE.md.</summary>
public static class ChatServer
{
    /// <summary>The root application (Django's <c>ASGI_APPLICATION</c>): WebSocket routes and the worker channel.</summary>
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        ["websocket"] = new UrlRouter()
            .Map<EchoConsumer>("ws/echo/")
            .MapRegex<ChatConsumer>(@"^ws/chat/(?<room>[A-Za-z0-9_.-]{1,90})/$")
            .MapRegex(@"^ws/chat1x/(?<room>[A-Za-z0-9_.-]{1,90})/$", Chat1x.WebSocket)
            .Map<NotifyConsumer>("ws/notify/"),
        ["http"] = new UrlRouter()
            .Map<LongPollConsumer>("poll/notifications")
            .Map<EventStreamConsumer>("events/notifications"),
        ["channel"] = new ChannelNameRouter()
            .Map<ThumbnailConsumer>(ThumbnailConsumer.Channel)
            .Map(Chat1x.MessagesChannel, Chat1x.Worker),
    };

    /// <summary>The command line (<c>runserver</c>, <c>runworker</c>, <c>--layer</c>); <c>Program</c> runs it.</summary>
    /// <returns>The command line of the reference app.</returns>
    public static SwitchboardCommandLine CommandLine() =>
        new SwitchboardCommandLine(ConfigureServices, MapEndpoints);

    // The Redis layer (Switchboard.Redis) maps its schemes here: .MapLayerScheme("redis", (switchboard, url) => ...).

    /// <summary>Builds the app without the command line (tests start it on port 0): the in-memory layer and in-process
    /// workers, or the layer the configuration key <c>layer</c> (or <c>Switchboard:Layer</c>) names, mapped by
    /// <see cref="CommandLine"/>'s schemes.</summary>
    /// <param name="args">Configuration arguments, for example <c>--urls http://127.0.0.1:0 --layer redis://127.0.0.1:6379</c>.</param>
    /// <param name="configure">Extra configuration, for tests.</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Defaults in code rather than appsettings.json, so that an app that references this one inherits nothing.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8000");
        }

        var layer = builder.Configuration["layer"] ?? builder.Configuration[SwitchboardCommandLine.LayerConfigurationKey];
        ConfigureServices(builder, CommandLine().CreateContext(layer: string.IsNullOrWhiteSpace(layer) ? null : new Uri(layer)));
        configure?.Invoke(builder);

        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    /// <summary>Registers the app's services for every command: Switchboard with the layer <c>--layer</c> names, and the
    /// in-process workers a server runs.</summary>
    /// <param name="builder">The host builder (a web application for runserver, a plain host for runworker).</param>
    /// <param name="context">What the command line asked for.</param>
    public static void ConfigureServices(IHostApplicationBuilder builder, SwitchboardCommandContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<ChatOptions>().BindConfiguration("Chat");
        var switchboard = builder.Services.AddSwitchboard(Application);
        context.AddChannelLayer(switchboard);
        if (context.IsWorker)
        {
            return;
        }

        // The 1.x chat's worker runs in every server, as 1.x's runserver ran its workers: each message is taken by one of them.
        switchboard.AddWorker(Chat1x.MessagesChannel);
        if (context.IsInMemoryLayer)
        {
            // The in-memory layer does not cross processes, so the thumbnails worker must run here; with another
            // layer it runs as its own process: runworker thumbnails --layer ...
            switchboard.AddWorker(ThumbnailConsumer.Channel);
        }
    }

    /// <summary>Maps the app's pages, HTTP endpoints and the Switchboard application.</summary>
    /// <param name="app">The web application.</param>
    public static void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/chat/{room}/", (string room) => Page("room.html"));
        app.MapPost("/notify", NotifyAsync);
        app.MapPost("/thumbnail", ThumbnailAsync);
        app.MapSwitchboard();
    }

    /// <summary><c>POST /notify</c>: a JSON body goes unchanged, as text, to every <c>/ws/notify/</c> listener.</summary>
    private static async Task<IResult> NotifyAsync(HttpRequest request, IChannelLayer layer, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            using var _ = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, title: "The body is not JSON.", detail: ex.Message);
        }

        await layer.GroupSendAsync(NotifyConsumer.Group, new LayerMessage("notify") { ["payload"] = body }, cancellationToken);
        return Results.Accepted();
    }

    /// <summary><c>POST /thumbnail?id=N</c>: queues a job on channel <c>thumbnails</c> for the worker.</summary>
    private static async Task<IResult> ThumbnailAsync(HttpRequest request, IChannelLayer layer, CancellationToken cancellationToken)
    {
        if (!long.TryParse(request.Query["id"], out var id))
        {
            return Results.Problem(statusCode: 400, title: "Give an integer id: POST /thumbnail?id=42.");
        }

        try
        {
            await layer.SendAsync(ThumbnailConsumer.Channel, new LayerMessage("generate") { ["id"] = id }, cancellationToken);
        }
        catch (ChannelFullException ex)
        {
            return Results.Problem(statusCode: 503, title: "The thumbnail queue is full; retry later.", detail: ex.Message);
        }

        return Results.Accepted();
    }

    private static IResult Page(string name)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Chat.Pages.{name}")
            ?? throw new InvalidOperationException($"The page {name} is not embedded.");
        return Results.Stream(stream, "text/html; charset=utf-8");
    }
}
