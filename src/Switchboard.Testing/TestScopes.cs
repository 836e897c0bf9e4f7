namespace Switchboard.Testing;

/// <summary>Scope-building helpers shared by the communicators.</summary>
internal static class TestScopes
{
    /// <summary>Splits <c>/path?query</c> into the path (with a leading <c>/</c>) and the raw query string.</summary>
    public static (string Path, string Query) SplitPath(string path)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? path : path[..question];
        var query = question < 0 ? "" : path[(question + 1)..];
        return (rawPath.StartsWith('/') ? rawPath : "/" + rawPath, query);
    }

    /// <summary>Copies headers with lower-cased names, as servers put them in a scope.</summary>
    public static KeyValuePair<string, string>[] LowerCase(IEnumerable<KeyValuePair<string, string>>? headers) =>
        headers?.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value)).ToArray() ?? [];
}
