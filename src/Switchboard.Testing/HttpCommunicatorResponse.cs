using System.Text;

namespace Switchboard.Testing;

/// <summary>A whole HTTP response collected by <see cref="HttpCommunicator.GetResponseAsync"/>.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Body">The body, all chunks joined.</param>
public sealed record HttpCommunicatorResponse(int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    /// <summary>Gets the body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Returns the first value of a response header, or <see langword="null"/>.</summary>
    /// <param name="name">The header name, in any case.</param>
    /// <returns>The value.</returns>
    public string? GetHeader(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
