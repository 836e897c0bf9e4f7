using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.AspNetCore;
using Switchboard.Testing;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>The reference app (samples/Chat) as shipped, on real Kestrel at 127.0.0.1 and a free port, with its logs captured.</summary>
internal sealed class FuzzTarget : IAsyncDisposable
{
    private readonly SwitchboardLiveServer _server;

    private FuzzTarget(SwitchboardLiveServer server, LogCapture logs)
    {
        _server = server;
        Logs = logs;
        MaxMessageSize = server.App.Services.GetRequiredService<IOptions<SwitchboardServerOptions>>().Value.MaxIncomingMessageSize;
    }

    public Uri HttpBase => _server.HttpBase;

    public Uri WebSocketBase => _server.WebSocketBase;

    public LogCapture Logs { get; }

    public int MaxMessageSize { get; }

    /// <summary>The Host header the app accepts (AllowedHosts is this machine).</summary>
    public string Authority => HttpBase.Authority;

    public static async Task<FuzzTarget> StartAsync()
    {
        var logs = new LogCapture();
        var app = Chat.ChatServer.CreateApp(["--Logging:LogLevel:Default=Warning"], builder =>
        {
            // Only the capture: the console would print every expected warning.
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        return new FuzzTarget(await SwitchboardLiveServer.StartAsync(app).ConfigureAwait(false), logs);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
