using System.Reflection;
using System.Text.Json;
using Chat.Consumers;
using Switchboard;
using Switchboard.Routing;
using Switchboard.Security;

namespace Chat;

/// <summary>The reference application: every endpoint of the contract in ARCHITECTURE.md.</summary>
public static class ChatServer
{
    /// <summary>The root application (Django's <c>ASGI_APPLICATION</c>): WebSocket routes and the worker channel.</summary>
    public static IApplication Application { get; } = new ProtocolTypeRouter
    {
        // As in the Channels tutorial: only pages served from one of AllowedHosts may open these sockets.
        ["websocket"] = new AllowedHostsOriginValidator(new UrlRouter()
            .Map<EchoConsumer>("ws/echo/")
            .MapRegex<ChatConsumer>(@"^ws/chat/(?<room>[A-Za-z0-9_.-]{1,90})/$")
            .Map<NotifyConsumer>("ws/notify/")),
        ["channel"] = new ChannelNameRouter()
            .Map<ThumbnailConsumer>(ThumbnailConsumer.Channel),
    };

    /// <summary>The hosts the app answers to unless <c>AllowedHosts</c> is configured: this machine only.</summary>
    public const string DefaultAllowedHosts = "localhost;127.0.0.1;[::1]";

    /// <summary>Builds the app; <c>Program</c> runs it, tests start it on port 0.</summary>
    /// <param name="args">Command-line arguments, for example <c>--urls http://127.0.0.1:0</c>.</param>
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

        // Host filtering (400 for another Host) and the WebSocket origin check both read AllowedHosts.
        if (string.IsNullOrEmpty(builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey]))
        {
            builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey] = DefaultAllowedHosts;
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // The in-memory layer is the default; with it, the thumbnails worker must run in this process.
        builder.Services.AddSwitchboard(Application).AddWorker(ThumbnailConsumer.Channel);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/chat/{room}/", (string room) => Page("room.html"));
        app.MapPost("/notify", NotifyAsync);
        app.MapPost("/thumbnail", ThumbnailAsync);
        app.MapSwitchboard();
        return app;
    }

    /// <summary><c>POST /notify</c>: a JSON body (UTF-8, at most 64 KiB) goes unchanged, as text, to every <c>/ws/notify/</c> listener.</summary>
    private static async Task<IResult> NotifyAsync(HttpRequest request, IChannelLayer layer, CancellationToken cancellationToken)
    {
        var (body, refusal) = await NotifyBody.ReadAsync(request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

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
