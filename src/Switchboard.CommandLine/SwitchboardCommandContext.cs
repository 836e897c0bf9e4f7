using Switchboard.CommandLine.Internal;

namespace Switchboard.CommandLine;

/// <summary>
/// What the command line asked for, handed to the app's service configuration: which command runs (<c>runserver</c> or
/// <c>runworker</c>), its worker channels, and the channel layer URL (<c>--layer</c>, <c>SWITCHBOARD_LAYER</c> or the
/// configuration key <c>Switchboard:Layer</c>).
/// </summary>
public sealed class SwitchboardCommandContext
{
    private readonly IReadOnlyDictionary<string, Action<ISwitchboardBuilder, Uri>> _layerSchemes;

    /// <summary>Creates a context without layer schemes, for an app that builds its host without the command line (tests,
    /// custom hosts); <see cref="SwitchboardCommandLine.CreateContext"/> makes one with the command line's schemes.</summary>
    /// <param name="commandName"><see cref="SwitchboardCommandLine.RunServerCommandName"/> or <see cref="SwitchboardCommandLine.RunWorkerCommandName"/>.</param>
    /// <param name="layer">The channel layer URL, or <see langword="null"/> for the in-memory layer.</param>
    /// <param name="workerChannels">The channels a worker serves.</param>
    public SwitchboardCommandContext(string commandName, Uri? layer = null, IReadOnlyList<string>? workerChannels = null)
        : this(commandName, layer, workerChannels ?? [], new Dictionary<string, Action<ISwitchboardBuilder, Uri>>())
    {
    }

    internal SwitchboardCommandContext(
        string commandName, Uri? layer, IReadOnlyList<string> workerChannels, IReadOnlyDictionary<string, Action<ISwitchboardBuilder, Uri>> layerSchemes)
    {
        ArgumentException.ThrowIfNullOrEmpty(commandName);
        CommandName = commandName;
        Layer = layer;
        WorkerChannels = workerChannels;
        _layerSchemes = layerSchemes;
    }

    /// <summary>Gets the command that runs: <c>runserver</c> or <c>runworker</c>.</summary>
    public string CommandName { get; }

    /// <summary>Gets a value indicating whether this process is a <c>runworker</c> process (it serves no HTTP).</summary>
    public bool IsWorker => CommandName == SwitchboardCommandLine.RunWorkerCommandName;

    /// <summary>Gets the channels a <c>runworker</c> process serves; empty for <c>runserver</c>.</summary>
    public IReadOnlyList<string> WorkerChannels { get; }

    /// <summary>Gets the channel layer URL, for example <c>redis://127.0.0.1:6379</c>; <see langword="null"/> for the in-memory layer.</summary>
    public Uri? Layer { get; }

    /// <summary>Gets a value indicating whether the in-memory layer is used (no URL, or <c>memory://</c>). Workers on
    /// named channels must then run inside the server process (<c>AddWorker(...)</c>), since that layer does not cross processes.</summary>
    public bool IsInMemoryLayer => Layer is null || Layer.Scheme == SwitchboardCommandLine.MemoryScheme;

    /// <summary>
    /// Registers the layer <see cref="Layer"/> names, with the registration mapped to its scheme by
    /// <see cref="SwitchboardCommandLine.MapLayerScheme"/>; does nothing for the in-memory layer, which
    /// <c>AddSwitchboard(...)</c> registers already. Call it right after <c>AddSwitchboard(...)</c>.
    /// </summary>
    /// <param name="switchboard">The builder <c>AddSwitchboard(...)</c> returned.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">No registration is mapped to the URL's scheme; the message names the fix.</exception>
    public ISwitchboardBuilder AddChannelLayer(ISwitchboardBuilder switchboard)
    {
        ArgumentNullException.ThrowIfNull(switchboard);
        if (IsInMemoryLayer)
        {
            return switchboard;
        }

        if (!_layerSchemes.TryGetValue(Layer!.Scheme, out var addLayer))
        {
            throw new CommandLineException(DescribeMissingScheme(Layer));
        }

        addLayer(switchboard, Layer);
        return switchboard;
    }

    private string DescribeMissingScheme(Uri layer)
    {
        var mapped = string.Join(", ", _layerSchemes.Keys.Prepend(SwitchboardCommandLine.MemoryScheme).Select(static s => s + "://"));
        var fix = layer.Scheme is "redis" or "rediss"
            ? "The Redis layer is in the Switchboard.Redis package: reference it and map the scheme in Program.cs with "
              + $".MapLayerScheme(\"{layer.Scheme}\", (switchboard, url) => switchboard.AddRedisChannelLayer(url.OriginalString))."
            : "Map a layer registration to the scheme with SwitchboardCommandLine.MapLayerScheme(...).";
        return $"--layer {layer}: this app has no channel layer for the '{layer.Scheme}' scheme (it knows {mapped}). {fix}";
    }
}
