using System.Globalization;
using System.Text;

namespace Switchboard.Reliability.Fuzzing;

/// <summary>One POST to the reference app: target, headers, body, and whether the body goes chunked (in the given chunk sizes).</summary>
internal sealed record HttpInput(string Target, byte[] Body, string Family)
{
    public string? ContentType { get; init; }

    /// <summary>Gets the chunk sizes for chunked transfer coding; empty for Content-Length.</summary>
    public IReadOnlyList<int> Chunks { get; init; } = [];

    /// <summary>Gets a value indicating whether the chunked coding is broken on purpose (a size that is not hex).</summary>
    public bool BrokenChunk { get; init; }

    public byte[] Encode(string authority)
    {
        var head = new StringBuilder($"POST {Target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
        if (ContentType is not null)
        {
            head.Append("Content-Type: ").Append(ContentType).Append("\r\n");
        }

        if (Chunks.Count == 0)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {Body.Length}\r\n\r\n");
            return [.. Encoding.ASCII.GetBytes(head.ToString()), .. Body];
        }

        head.Append("Transfer-Encoding: chunked\r\n\r\n");
        using var request = new MemoryStream();
        request.Write(Encoding.ASCII.GetBytes(head.ToString()));
        var at = 0;
        foreach (var size in Chunks.Append(int.MaxValue))
        {
            var count = Math.Min(size, Body.Length - at);
            if (count <= 0)
            {
                break;
            }

            request.Write(Encoding.ASCII.GetBytes(BrokenChunk && at == 0 ? "zz\r\n" : count.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            request.Write(Body, at, count);
            request.Write("\r\n"u8);
            at += count;
        }

        request.Write("0\r\n\r\n"u8);
        return request.ToArray();
    }

    public override string ToString()
    {
        var preview = Body.Length <= 60 ? Encoding.UTF8.GetString(Body) : Encoding.UTF8.GetString(Body.AsSpan(0, 60)) + $"...({Body.Length} B)";
        return $"{Family}: POST {Target} type={ContentType ?? "none"} {(Chunks.Count > 0 ? $"chunked {string.Join(",", Chunks.Take(6))}{(BrokenChunk ? " BROKEN" : "")}" : "content-length")} body={preview}";
    }
}
