using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.CommandLine;

namespace Switchboard.FunctionalTests.Infrastructure;

/// <summary>
/// Runs <c>runserver</c> through the real command line in this process, on real Kestrel: the arguments are parsed by
/// <see cref="SwitchboardCommandLine"/> exactly as a process's would be; disposing stops it as a SIGTERM would.
/// </summary>
public sealed class CommandLineTestHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task<int> _run = Task.FromResult(0);

    private CommandLineTestHost()
    {
    }

    public TestLogSink Logs { get; } = new();

    public StringWriter Output { get; } = new();

    public StringWriter Error { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services { get; private set; } = null!;

    /// <summary>Starts the command line with <paramref name="application"/> as the Switchboard application and waits until it listens.</summary>
    public static Task<CommandLineTestHost> StartAsync(IApplication application, params string[] args) =>
        StartAsync(args, (builder, context) => context.AddChannelLayer(builder.Services.AddSwitchboard(application)), app => app.MapSwitchboard());

    public static async Task<CommandLineTestHost> StartAsync(
        string[] args, Action<IHostApplicationBuilder, SwitchboardCommandContext> configureServices, Action<WebApplication> configureApp)
    {
        var host = new CommandLineTestHost();
        var started = new TaskCompletionSource<WebApplication>(TaskCreationOptions.RunContinuationsAsynchronously);
        var commandLine = new SwitchboardCommandLine(
            (builder, context) =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                builder.Logging.AddProvider(host.Logs);
                builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
                configureServices(builder, context);
            },
            app =>
            {
                app.Lifetime.ApplicationStarted.Register(() => started.TrySetResult(app));
                configureApp(app);
            })
        {
            Output = host.Output,
            Error = host.Error,
        };
        host._run = commandLine.RunAsync(args, host._stop.Token);
        var finished = await Task.WhenAny(started.Task, host._run).WaitAsync(TimeSpan.FromSeconds(30));
        if (finished == host._run)
        {
            throw new InvalidOperationException($"The command ended with {await host._run} before listening: {host.Error}");
        }

        var app = await started.Task;
        host.Services = app.Services;
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        host.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = TaskTimeoutExtensions.Timeout };

    public async Task<ClientWebSocket> ConnectAsync(string path, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        configure?.Invoke(client.Options);
        await client.ConnectAsync(WebSocketUri(path), CancellationToken.None).DefaultTimeout();
        return client;
    }

    public Uri WebSocketUri(string path) => new(new Uri(BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), path.TrimStart('/'));

    /// <summary>Stops the command (as SIGTERM would) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
