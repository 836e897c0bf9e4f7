using System.Diagnostics.CodeAnalysis;

namespace Switchboard.Security;

/// <summary>An <c>Origin</c> header split into scheme, host and port (the scheme's default port when none is written).</summary>
internal readonly record struct ParsedOrigin(string Scheme, string Host, int? Port)
{
    /// <summary>Parses what a browser sends (<c>https://example.com</c>, <c>http://127.0.0.1:8000</c>). Anything else,
    /// <c>null</c> (sandboxed pages) and values with a path, user or query included, is not an origin.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ParsedOrigin? origin)
    {
        origin = null;
        if (string.IsNullOrWhiteSpace(value)
            || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || uri.HostNameType == UriHostNameType.Unknown
            || uri.Host.Length == 0
            || uri.UserInfo.Length != 0
            || uri.AbsolutePath != "/"
            || uri.Query.Length != 0
            || uri.Fragment.Length != 0)
        {
            return false;
        }

        var scheme = uri.Scheme.ToLowerInvariant();
        var port = uri.IsDefaultPort ? OriginPattern.DefaultPort(scheme) ?? NullIfUnknown(uri.Port) : uri.Port;
        origin = new ParsedOrigin(scheme, uri.Host.ToLowerInvariant(), port);
        return true;
    }

    private static int? NullIfUnknown(int port) => port < 0 ? null : port;
}
