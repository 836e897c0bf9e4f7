namespace Switchboard;

/// <summary><c>http.disconnect</c>: the client went away or the response completed; the last event of an HTTP scope.</summary>
public sealed class HttpDisconnectEvent : ApplicationEvent
{
    /// <summary>The one instance; the event carries no data.</summary>
    public static HttpDisconnectEvent Instance { get; } = new();

    private HttpDisconnectEvent()
    {
    }

    /// <inheritdoc />
    public override string Type => EventTypes.HttpDisconnect;
}
