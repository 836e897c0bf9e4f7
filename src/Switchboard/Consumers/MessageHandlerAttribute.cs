namespace Switchboard;

/// <summary>
/// Marks a consumer method as the handler for a channel-layer message type, when its name does not follow the
/// convention (<c>chat.message</c> → <c>ChatMessage</c> or <c>ChatMessageAsync</c>). The method takes a
/// <see cref="LayerMessage"/> and optionally a <see cref="CancellationToken"/>, and returns <see cref="Task"/> or
/// <see cref="ValueTask"/>.
/// </summary>
/// <param name="messageType">The message type, for example <c>chat.message</c>.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class MessageHandlerAttribute(string messageType) : Attribute
{
    /// <summary>Gets the message type this method handles.</summary>
    public string MessageType { get; } = messageType;
}
