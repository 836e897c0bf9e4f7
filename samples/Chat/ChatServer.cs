using System.Reflection;
using System.Text.Json;
using Chat.Consumers;
using OpenTelemetry.Metrics;
using Switchboard;
using Switchboard.CommandLine;
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
            .MapRegex(@"^ws/chat1x/(?<room>[A-Za-z0-9_.-]{1,90})/$", Chat1x.WebSocket)
            .Map<NotifyConsumer>("ws/notify/")),
        ["http"] = new UrlRouter()
            .Map<LongPollConsumer>("poll/notifications")
            .Map<EventStreamConsumer>("events/notifications"),
        ["channel"] = new ChannelNameRouter()
            .Map<ThumbnailConsumer>(ThumbnailConsumer.Channel)
            .Map(Chat1x.MessagesChannel, Chat1x.Worker),
    };

    /// <summary>The hosts the app answers to unless <c>AllowedHosts</c> is configured: this machine only.</summary>
    public const string DefaultAllowedHosts = "localhost;127.0.0.1;[::1]";

    /// <summary>The command line (<c>runserver</c>, <c>runworker</c>, <c>--layer</c>); <c>Program</c> runs it.</summary>
    /// <returns>The command line of the reference app.</returns>
    public static SwitchboardCommandLine CommandLine() =>
        new SwitchboardCommandLine(ConfigureServices, MapEndpoints)
            .MapLayerScheme("redis", AddRedisLayer)
            .MapLayerScheme("rediss", AddRedisLayer)
            .MapLayerScheme("unix", AddRedisLayer);

    // The whole URL as written: Uri.ToString() would add a '/' after the port. Hosts, password and database come from it.
    private static void AddRedisLayer(ISwitchboardBuilder switchboard, Uri url) => switchboard.AddRedisChannelLayer(url.OriginalString);

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

        // Host filtering (400 for another Host) and the WebSocket origin check both read AllowedHosts.
        if (string.IsNullOrEmpty(builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey]))
        {
            builder.Configuration[AllowedHostsOriginValidator.ConfigurationKey] = DefaultAllowedHosts;
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddOptions<ChatOptions>().BindConfiguration("Chat");
        var switchboard = builder.Services.AddSwitchboard(Application);
        context.AddChannelLayer(switchboard);
        if (context.IsWorker)
        {
            return;
        }

        // GET /healthz: the layer reachable and receiving, the workers running and not stuck (200, or 503 naming the check).
        switchboard.AddHealthChecks();

        // GET /metrics: every Switchboard instrument, in Prometheus' text format, through the OpenTelemetry SDK.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddSwitchboardInstrumentation()
            .AddPrometheusExporter());

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
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapSwitchboardHealthChecks("/healthz");
        app.MapSwitchboard();
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
