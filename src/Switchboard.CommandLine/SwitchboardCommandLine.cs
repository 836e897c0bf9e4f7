using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Switchboard.CommandLine.Internal;

namespace Switchboard.CommandLine;

/// <summary>
/// The command line of a Switchboard app (Django's <c>manage.py runserver</c> / <c>runworker</c> and daphne's options),
/// built with System.CommandLine. <c>runserver</c> is the default command, so an app run without arguments serves on
/// http://127.0.0.1:8000; <c>runworker CHANNEL...</c> runs the app as a worker process for named channels and serves no
/// HTTP. <c>--layer URL</c> (or <c>SWITCHBOARD_LAYER</c>) picks the channel layer for both.
/// </summary>
/// <example>
/// <code>
/// // Program.cs
/// return await new SwitchboardCommandLine(ChatServer.ConfigureServices, ChatServer.MapEndpoints)
///     .MapLayerScheme("redis", (switchboard, url) => switchboard.AddRedisChannelLayer(url.OriginalString))
///     .RunAsync(args);
/// </code>
/// </example>
public sealed class SwitchboardCommandLine
{
    /// <summary>The name of the server command, the default.</summary>
    public const string RunServerCommandName = "runserver";

    /// <summary>The name of the worker command.</summary>
    public const string RunWorkerCommandName = "runworker";

    /// <summary>The scheme that names the in-memory layer explicitly (<c>--layer memory://</c>).</summary>
    public const string MemoryScheme = "memory";

    /// <summary>The environment variable read when <c>--layer</c> is not given.</summary>
    public const string LayerEnvironmentVariable = "SWITCHBOARD_LAYER";

    /// <summary>The configuration key read when neither <c>--layer</c> nor <see cref="LayerEnvironmentVariable"/> is set.</summary>
    public const string LayerConfigurationKey = "Switchboard:Layer";

    private readonly Dictionary<string, Action<ISwitchboardBuilder, Uri>> _layerSchemes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the command line of an app.</summary>
    /// <param name="configureServices">Registers the app's services, <c>AddSwitchboard(...)</c> included; runs for every
    /// command, with a <see cref="WebApplicationBuilder"/> for <c>runserver</c> and a host builder without a web server
    /// for <c>runworker</c>. Call <see cref="SwitchboardCommandContext.AddChannelLayer"/> to honour <c>--layer</c>.</param>
    /// <param name="configureApp">Maps the app's endpoints (<c>app.MapSwitchboard()</c>, minimal APIs); runs for
    /// <c>runserver</c> only, after the command line's own middleware (forwarded headers, access log, root path, routing).</param>
    public SwitchboardCommandLine(Action<IHostApplicationBuilder, SwitchboardCommandContext> configureServices, Action<WebApplication> configureApp)
    {
        ArgumentNullException.ThrowIfNull(configureServices);
        ArgumentNullException.ThrowIfNull(configureApp);
        ConfigureServices = configureServices;
        ConfigureApp = configureApp;
    }

    internal Action<IHostApplicationBuilder, SwitchboardCommandContext> ConfigureServices { get; }

    internal Action<WebApplication> ConfigureApp { get; }

    /// <summary>Gets or sets where help and messages go; <see langword="null"/>: standard output.</summary>
    public TextWriter? Output { get; set; }

    /// <summary>Gets or sets where errors go; <see langword="null"/>: standard error.</summary>
    public TextWriter? Error { get; set; }

    /// <summary>
    /// Maps a layer URL scheme to the call that registers that layer, so that <c>--layer scheme://...</c> selects it;
    /// <see cref="SwitchboardCommandContext.AddChannelLayer"/> makes the call. A scheme without a mapping is refused at
    /// startup with a message that names the package and the line to add.
    /// </summary>
    /// <param name="scheme">The URL scheme, for example <c>redis</c>.</param>
    /// <param name="addLayer">Registers the layer on the app's Switchboard builder from the URL.</param>
    /// <returns>This command line.</returns>
    public SwitchboardCommandLine MapLayerScheme(string scheme, Action<ISwitchboardBuilder, Uri> addLayer)
    {
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(addLayer);
        if (string.Equals(scheme, MemoryScheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The '{MemoryScheme}' scheme names the in-memory layer and cannot be mapped.", nameof(scheme));
        }

        _layerSchemes[scheme] = addLayer;
        return this;
    }

    /// <summary>Creates the context the command line would hand to the app, with this command line's layer schemes, for
    /// an app that builds its host itself (tests, a custom host) but wants <c>--layer</c>'s behaviour.</summary>
    /// <param name="commandName"><see cref="RunServerCommandName"/> or <see cref="RunWorkerCommandName"/>.</param>
    /// <param name="layer">The layer URL, or <see langword="null"/> for the in-memory layer.</param>
    /// <param name="workerChannels">The channels a worker serves.</param>
    /// <returns>The context.</returns>
    public SwitchboardCommandContext CreateContext(string commandName = RunServerCommandName, Uri? layer = null, IReadOnlyList<string>? workerChannels = null) =>
        new(commandName, layer, workerChannels ?? [], _layerSchemes);

    /// <summary>Parses the arguments and runs the command until it ends (Ctrl+C or SIGTERM for the server and the worker).</summary>
    /// <param name="args">The process's arguments.</param>
    /// <param name="cancellationToken">Stops the command as a SIGTERM would.</param>
    /// <returns>The exit code: 0 after a clean stop, 1 for a command line that does not parse, 2 for a setting that
    /// stops the command from starting (the message names the option).</returns>
    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = CommandLineDefinition.Create(this);
        var configuration = new InvocationConfiguration
        {
            // The host handles SIGTERM and Ctrl+C itself (finishing requests and messages in hand).
            ProcessTerminationTimeout = null,
        };
        if (Output is not null)
        {
            configuration.Output = Output;
        }

        if (Error is not null)
        {
            configuration.Error = Error;
        }

        return root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    internal IReadOnlyDictionary<string, Action<ISwitchboardBuilder, Uri>> LayerSchemes => _layerSchemes;
}
