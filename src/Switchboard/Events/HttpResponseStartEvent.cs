namespace Switchboard;

/// <summary><c>http.response.start</c>: the response status and headers; must come before any body.</summary>
/// <param name="status">The HTTP status code.</param>
/// <param name="headers">The response headers, or <see langword="null"/> for none.</param>
public sealed class HttpResponseStartEvent(int status, IReadOnlyList<KeyValuePair<string, string>>? headers = null) : ApplicationEvent
{
    /// <summary>Gets the HTTP status code.</summary>
    public int Status { get; } = status;

    /// <summary>Gets the response headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers ?? [];

    /// <inheritdoc />
    public override string Type => EventTypes.HttpResponseStart;
}
