using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Routing;

/// <summary>
/// The name-to-application map behind <see cref="ProtocolTypeRouter"/> (scope types) and <see cref="ChannelNameRouter"/>
/// (channel names). Names compare ordinally, as Channels' dict keys do. Filled at startup, read concurrently afterwards.
/// </summary>
/// <param name="keyKind">What a key is, for messages: <c>scope type</c> or <c>channel name</c>.</param>
internal sealed class ApplicationMap(string keyKind)
{
    private readonly Dictionary<string, IApplication> _applications = new(StringComparer.Ordinal);

    public IApplication this[string key]
    {
        get => _applications.TryGetValue(key, out var application)
            ? application
            : throw new KeyNotFoundException($"No application is mapped to {keyKind} '{key}'.");
        set => _applications[key] = value;
    }

    /// <summary>Adds a mapping; a key that is already mapped is an error, so that a typo'd duplicate does not
    /// silently replace an application (the indexer replaces on purpose).</summary>
    public void Add(string key, IApplication application, string paramName)
    {
        if (!_applications.TryAdd(key, application))
        {
            throw new ArgumentException(
                $"An application is already mapped to {keyKind} '{key}'. Map each {keyKind} once, or use the indexer to replace it.",
                paramName);
        }
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out IApplication application) =>
        _applications.TryGetValue(key, out application);

    /// <summary>Lists the mapped keys for an error message.</summary>
    public string DescribeKeys() =>
        _applications.Count == 0 ? "none" : string.Join(", ", _applications.Keys.Select(static key => $"'{key}'"));

    public Dictionary<string, IApplication>.Enumerator GetEnumerator() => _applications.GetEnumerator();
}
