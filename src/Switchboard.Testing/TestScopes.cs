using System.Net;

namespace Switchboard.Testing;

/// <summary>Scope-building helpers shared by the communicators.</summary>
internal static class TestScopes
{
    /// <summary>Builds the scope a server would make for a request to <paramref name="path"/> (with an optional query string).</summary>
    public static ConnectionScope Create(string type, string scheme, string method, string path, IEnumerable<KeyValuePair<string, string>>? headers)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (rawPath, query) = SplitPath(path);
        return new ConnectionScope(type)
        {
            Path = Uri.UnescapeDataString(rawPath),
            RawPath = rawPath,
            QueryString = query,
            Scheme = scheme,
            HttpVersion = "1.1",
            Method = method,
            Headers = LowerCase(headers),
            Client = new IPEndPoint(IPAddress.Loopback, 50000),
            Server = new IPEndPoint(IPAddress.Loopback, 8000),
        };
    }

    /// <summary>Applies a test's changes to a scope; the result must keep the scope's type.</summary>
    public static ConnectionScope Configure(ConnectionScope scope, Func<ConnectionScope, ConnectionScope>? configure)
    {
        if (configure is null)
        {
            return scope;
        }

        var configured = configure(scope) ?? throw new InvalidOperationException("configureScope returned null; return the scope, changed with 'with { ... }'.");
        return configured.Type == scope.Type
            ? configured
            : throw new InvalidOperationException($"configureScope changed the scope type to '{configured.Type}'; a {scope.Type} communicator needs a '{scope.Type}' scope.");
    }

    /// <summary>Splits <c>/path?query</c> into the path (with a leading <c>/</c>) and the raw query string.</summary>
    private static (string Path, string Query) SplitPath(string path)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        var rawPath = question < 0 ? path : path[..question];
        var query = question < 0 ? "" : path[(question + 1)..];
        return (rawPath.StartsWith('/') ? rawPath : "/" + rawPath, query);
    }

    /// <summary>Copies headers with lower-cased names, as servers put them in a scope.</summary>
    private static KeyValuePair<string, string>[] LowerCase(IEnumerable<KeyValuePair<string, string>>? headers) =>
        headers?.Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Value)).ToArray() ?? [];
}
