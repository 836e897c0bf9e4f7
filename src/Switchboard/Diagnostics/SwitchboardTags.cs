namespace Switchboard;

/// <summary>The tag (attribute) names of Switchboard's instruments, namespaced as OpenTelemetry's semantic conventions
/// ask of names they do not define.</summary>
internal static class SwitchboardTags
{
    /// <summary>Why messages were dropped or a handshake refused: a short snake_case word listed in docs/diagnostics.md.</summary>
    public const string Reason = "switchboard.reason";

    /// <summary>The scope type of a connection: <c>websocket</c> or <c>http</c>.</summary>
    public const string ScopeType = "switchboard.scope.type";

    /// <summary>The <c>type</c> of the event or layer message a consumer handled, for example <c>websocket.receive</c>.</summary>
    public const string MessageType = "switchboard.message.type";

    /// <summary>The channel-layer call: <c>send</c>, <c>group_send</c>, <c>group_add</c>, <c>group_discard</c>.</summary>
    public const string LayerOperation = "switchboard.layer.operation";

    /// <summary>The kind of channel layer: <c>in_memory</c> or <c>redis</c>.</summary>
    public const string LayerType = "switchboard.layer.type";

    /// <summary>The named channel a worker serves.</summary>
    public const string Channel = "switchboard.channel";
}
