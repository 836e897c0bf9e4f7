using System.Text.RegularExpressions;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>
/// The oracle for handshakes, in the order the server applies its rules (docs/interface-server.md, "Handshake
/// outcomes"): Kestrel's request rules, host filtering, then whether the request is a WebSocket upgrade, whether the
/// app claims its path, whether the handshake headers are complete, and the origin check.
/// </summary>
internal static partial class HandshakeModel
{
    public static (int Status, string Rule) Evaluate(WebSocketRequest request, string authority)
    {
        string? Header(string name) => request.Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        var port = authority.Split(':')[1];

        if (request.Path.Any(c => c > '~'))
        {
            return (400, "a request target with bytes outside ASCII (Kestrel)");
        }

        if (request.Headers.Sum(h => h.Key.Length + h.Value.Length + 4) > 32 * 1024)
        {
            return (431, "headers larger than Kestrel's 32 KiB");
        }

        var host = Header("Host");
        if (request.Version == "HTTP/1.1" && host is null)
        {
            return (400, "HTTP/1.1 without Host");
        }

        if (request.Version == "HTTP/1.0" && request.Method is "POST" or "PUT" && !Tokens(Header("Connection")).Contains("upgrade"))
        {
            return (400, "HTTP/1.0 POST or PUT without Content-Length (Kestrel)");
        }

        // An empty Host passes host filtering (AllowEmptyHosts).
        if (!string.IsNullOrEmpty(host) && !IsAllowedHost(host, port))
        {
            return (400, "Host not in AllowedHosts (or not a host)");
        }

        var path = Decode(request.Path.Split('?')[0]);
        // Kestrel lets HTTP/1.0 requests upgrade too.
        var upgrade = Tokens(Header("Connection")).Contains("upgrade")
            && string.Equals(Header("Upgrade"), "websocket", StringComparison.OrdinalIgnoreCase);
        if (!upgrade)
        {
            return (404, "not an upgrade: plain HTTP, which the app does not serve under /ws/");
        }

        if (!Claimed(path))
        {
            return (404, "a WebSocket path the app does not claim");
        }

        if (request.Method != "GET" || !Tokens(Header("Sec-WebSocket-Version")).Contains("13") || !IsValidKey(Header("Sec-WebSocket-Key")))
        {
            return (400, "incomplete handshake headers (method, key or version)");
        }

        var origin = Header("Origin");
        if (origin is not null && !IsAllowedOrigin(origin))
        {
            return (403, "Origin not in AllowedHosts");
        }

        return (101, "accepted");
    }

    private static bool Claimed(string path) => path is "/ws/echo/" or "/ws/notify/" || ChatRoute().IsMatch(path) || Chat1xRoute().IsMatch(path);

    private static bool IsAllowedHost(string host, string port)
    {
        // Host filtering compares the host without its port, against AllowedHosts: localhost;127.0.0.1;[::1].
        var name = host.StartsWith('[') ? host[..(host.IndexOf(']') + 1)] : host.Split(':')[0];
        var rest = host[name.Length..];
        return name is "localhost" or "127.0.0.1" or "[::1]" && (rest.Length == 0 || (rest[0] == ':' && rest[1..].All(char.IsAsciiDigit) && rest.Length > 1));
    }

    private static bool IsAllowedOrigin(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Host is "localhost" or "127.0.0.1" or "[::1]";

    private static bool IsValidKey(string? key)
    {
        try
        {
            return key is not null && Convert.FromBase64String(key).Length == 16;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static HashSet<string> Tokens(string? header) =>
        [.. (header ?? "").Split(',').Select(t => t.Trim().ToLowerInvariant())];

    /// <summary>Kestrel's path: percent-decoded except %2F, dot segments removed.</summary>
    private static string Decode(string path)
    {
        var decoded = Uri.UnescapeDataString(path.Replace("%2F", "%252F", StringComparison.OrdinalIgnoreCase));
        var segments = new List<string>();
        foreach (var segment in decoded.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 1)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    [GeneratedRegex(@"^/ws/chat/[A-Za-z0-9_.-]{1,90}/$")]
    private static partial Regex ChatRoute();

    [GeneratedRegex(@"^/ws/chat1x/[A-Za-z0-9_.-]{1,90}/$")]
    private static partial Regex Chat1xRoute();
}
