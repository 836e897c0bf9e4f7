namespace Switchboard;

/// <summary>
/// An event that flows between an interface server and an application, or through a channel layer to a consumer.
/// </summary>
/// <remarks>
/// This is Channels' "message with a <c>type</c>". Protocol events (<c>websocket.receive</c>, <c>http.request</c>, ...)
/// are small typed subclasses so that the hot path between Kestrel and a consumer allocates no dictionaries;
/// channel-layer messages are <see cref="LayerMessage"/> maps because they cross processes and languages.
/// </remarks>
public abstract class ApplicationEvent
{
    /// <summary>Gets the dotted event type, for example <c>websocket.receive</c> or <c>chat.message</c>.</summary>
    public abstract string Type { get; }

    /// <inheritdoc />
    public override string ToString() => Type;
}
