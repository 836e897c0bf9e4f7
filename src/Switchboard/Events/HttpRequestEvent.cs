namespace Switchboard;

/// <summary><c>http.request</c>: a chunk of the request body; the last chunk has <see cref="MoreBody"/> false.</summary>
/// <param name="body">The chunk.</param>
/// <param name="moreBody">Whether more chunks follow.</param>
public sealed class HttpRequestEvent(ReadOnlyMemory<byte> body, bool moreBody = false) : ApplicationEvent
{
    /// <summary>Gets the chunk.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>Gets a value indicating whether more chunks follow.</summary>
    public bool MoreBody { get; } = moreBody;

    /// <inheritdoc />
    public override string Type => EventTypes.HttpRequest;
}
