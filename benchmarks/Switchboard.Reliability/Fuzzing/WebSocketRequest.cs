using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>An HTTP/1.1 upgrade request, every part of it settable (the handshake fuzzer breaks them one by one).</summary>
internal sealed record WebSocketRequest(string Path, string Host)
{
    public string Method { get; init; } = "GET";

    public string Version { get; init; } = "HTTP/1.1";

    /// <summary>Gets the headers in order; a null value leaves the header out.</summary>
    public List<KeyValuePair<string, string>> Headers { get; init; } = [];

    public static WebSocketRequest Valid(string path, string host, string key = "dGhlIHNhbXBsZSBub25jZQ==") => new(path, host)
    {
        Headers =
        [
            new("Host", host),
            new("Upgrade", "websocket"),
            new("Connection", "Upgrade"),
            new("Sec-WebSocket-Key", key),
            new("Sec-WebSocket-Version", "13"),
        ],
    };

    public byte[] Encode()
    {
        var text = new StringBuilder($"{Method} {Path} {Version}\r\n");
        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        // Latin-1: header bytes above 0x7F go out as they are, one byte each.
        return Encoding.Latin1.GetBytes(text.Append("\r\n").ToString());
    }

    public override string ToString() => $"{Method} {Path} {Version} " + string.Join(" | ", Headers.Select(h => $"{h.Key}: {(h.Value.Length > 60 ? h.Value[..60] + $"...({h.Value.Length})" : h.Value)}"));
}
