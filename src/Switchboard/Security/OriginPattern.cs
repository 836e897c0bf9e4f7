namespace Switchboard.Security;

/// <summary>
/// One entry of an <see cref="OriginValidator"/>'s allowed list, parsed once: <c>*</c>, a host (<c>example.com</c>,
/// <c>.example.com</c> for the domain and its subdomains), or <c>scheme://host[:port]</c> (Channels' rules).
/// </summary>
internal sealed class OriginPattern
{
    private OriginPattern(string text, bool matchesAll, string? scheme, string host, int? port)
    {
        Text = text;
        MatchesAll = matchesAll;
        Scheme = scheme;
        Host = host;
        Port = port;
    }

    /// <summary>Gets the pattern as it was written.</summary>
    public string Text { get; }

    /// <summary>Gets whether the pattern is <c>*</c>: every origin, and requests without one.</summary>
    public bool MatchesAll { get; }

    private string? Scheme { get; }

    /// <summary>The host, lower-cased; a leading <c>.</c> means the domain and every subdomain.</summary>
    private string Host { get; }

    private int? Port { get; }

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="ArgumentException">The pattern is malformed; the message says how to write it.</exception>
    public static OriginPattern Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        var text = pattern.Trim();
        if (text == "*")
        {
            return new OriginPattern(text, matchesAll: true, scheme: null, host: "", port: null);
        }

        if (text.Contains('*', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Invalid allowed origin '{pattern}': '*' is allowed only on its own. Write '.example.com' to allow example.com and all its subdomains.",
                nameof(pattern));
        }

        var separator = text.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            // A bare host; like Channels, any port is accepted, so "example.com:8000" means "example.com".
            return new OriginPattern(text, matchesAll: false, scheme: null, HostOf(text, pattern, allowPort: true), port: null);
        }

        var scheme = text[..separator].ToLowerInvariant();
        var authority = text[(separator + 3)..].TrimEnd('/');
        var (host, port) = SplitPort(authority, pattern);
        return new OriginPattern(text, matchesAll: false, scheme, HostOf(host, pattern, allowPort: false), port ?? DefaultPort(scheme));
    }

    /// <summary>Tells whether a parsed origin matches this pattern.</summary>
    public bool Matches(ParsedOrigin origin)
    {
        if (MatchesAll)
        {
            return true;
        }

        if (Scheme is null)
        {
            return IsSameDomain(origin.Host, Host);
        }

        return Scheme == origin.Scheme && Port == origin.Port && IsSameDomain(origin.Host, Host);
    }

    /// <summary>The port a scheme implies when none is written (Channels: 80 for http and ws, 443 for https and wss).</summary>
    public static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        _ => null,
    };

    /// <summary>Django's <c>is_same_domain</c>: <c>.example.com</c> matches example.com and its subdomains; anything else matches exactly.</summary>
    private static bool IsSameDomain(string host, string pattern) =>
        pattern[0] == '.'
            ? host.EndsWith(pattern, StringComparison.Ordinal) || host.AsSpan().SequenceEqual(pattern.AsSpan(1))
            : host == pattern;

    private static string HostOf(string text, string pattern, bool allowPort)
    {
        var host = allowPort ? SplitPort(text, pattern).Host : text;
        if (host.Length == 0 || host == "." || host.IndexOfAny(['/', '?', '#', '@', ' ']) >= 0)
        {
            throw new ArgumentException(
                $"Invalid allowed origin '{pattern}': write a host (example.com, .example.com) or scheme://host[:port] (https://example.com:8443).",
                nameof(pattern));
        }

        return host.ToLowerInvariant();
    }

    private static (string Host, int? Port) SplitPort(string authority, string pattern)
    {
        // "[::1]:8000" keeps its brackets; a colon after the closing bracket (or the only colon) starts the port.
        var colon = authority.LastIndexOf(':');
        if (colon < 0 || authority.IndexOf(']', StringComparison.Ordinal) > colon || (authority[0] != '[' && authority.IndexOf(':') != colon))
        {
            return (authority, null);
        }

        if (!int.TryParse(authority.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new ArgumentException($"Invalid allowed origin '{pattern}': the port must be a number from 1 to 65535.", nameof(pattern));
        }

        return (authority[..colon], port);
    }
}
